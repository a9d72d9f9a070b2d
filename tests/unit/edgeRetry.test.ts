/**
 * Which requests the edge sends to a second app replica, with the real nginx on the rendered
 * config. The first replica fails in one of three ways; the second answers "second". Upstream
 * groups stand in for the app alias (`proxy_pass http://$app_upstream` looks a group up by name
 * before it resolves one), so the first replica is always tried first: the second is a backup.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "../../harness/stack/fixtures";
import { curl } from "../../harness/stack/probe";
import { renderEdge } from "../../release/render/edgeSite";
import { RunningNginx, startNginx } from "./support/nginx";

let nginx: RunningNginx;
let edgePort: number;

/** A request through the edge to the group named `first` (how the first replica fails). */
const send = (first: "closes" | "answers502" | "refuses", method: string) =>
  curl(["-X", method, "-H", "Host: localhost", "-H", `X-Test-Upstream: ${first}`, ...(method === "GET" ? [] : ["--data", "order=1"]), `http://127.0.0.1:${edgePort}/orders`]);

beforeAll(async () => {
  const [closes, answers502, second, nothing] = [await freePort(), await freePort(), await freePort(), await freePort()];
  edgePort = await freePort();
  const edge = renderEdge({ upstreamHost: "app", upstreamPort: 80, healthPath: "/edge-health", publicOrigin: "http://localhost", maxBodySizeMb: 20 })
    .replace(/listen 80\b/g, `listen 127.0.0.1:${edgePort}`)
    .replaceAll("set $app_upstream app:80;", "set $app_upstream $http_x_test_upstream;");
  const group = (name: string, port: number) => `upstream ${name} { server 127.0.0.1:${port} max_fails=0; server 127.0.0.1:${second} backup; }`;
  const replicas = [
    group("closes", closes), group("answers502", answers502), group("refuses", nothing),
    // Reads the whole request, then closes the connection without an answer (a replica killed mid-request).
    `server { listen 127.0.0.1:${closes}; location / { return 444; } }`,
    `server { listen 127.0.0.1:${answers502}; location / { return 502 "first"; } }`,
    `server { listen 127.0.0.1:${second}; location / { return 200 "second"; } }`,
  ];
  nginx = startNginx(fs.mkdtempSync(path.join(os.tmpdir(), "edge-retry-")), `${edge}\n${replicas.join("\n")}`);
});

afterAll(() => nginx.stop());

test("the rendered edge never retries non-idempotent requests and bounds the retries in time", () => {
  const site = fs.readFileSync(path.join(nginx.dir, "nginx.conf"), "utf8");
  expect(site).toContain("proxy_next_upstream error timeout http_502 http_503;");
  expect(site).not.toContain("non_idempotent");
  expect(site).toMatch(/proxy_next_upstream_timeout \d+s;/);
});

test("a replica that closes mid-request: GET, PUT and DELETE go to the next one, POST and PATCH do not", async () => {
  for (const method of ["GET", "PUT", "DELETE"]) {
    expect({ method, body: (await send("closes", method)).body }).toEqual({ method, body: "second" });
  }
  for (const method of ["POST", "PATCH"]) {
    const reply = await send("closes", method);
    expect({ method, status: reply.head.split("\r\n")[0] }).toEqual({ method, status: "HTTP/1.1 502 Bad Gateway" });
    expect(reply.body).not.toContain("second");
  }
});

test("a replica answering 502: GET is retried, POST gets that 502 (PHP may have run)", async () => {
  expect((await send("answers502", "GET")).body).toBe("second");
  const post = await send("answers502", "POST");
  expect(post.head).toMatch(/^HTTP\/1\.1 502/);
  expect(post.body).toBe("first");
});

test("a replica that refuses the connection (gone in a release): even a POST goes to the next one, it was never sent", async () => {
  expect((await send("refuses", "POST")).body).toBe("second");
  expect((await send("refuses", "GET")).body).toBe("second");
});
