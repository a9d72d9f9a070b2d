/**
 * The edge's rendered config run by the real nginx on loopback ports, in front of an upstream that
 * echoes what reaches it: the redirect, the Host with its port, the X-Forwarded-* headers the app
 * gets, and the health path over plain HTTP.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "../../harness/stack/fixtures";
import { curl } from "../../harness/stack/probe";
import { selfSignedCertificate } from "../../harness/tls";
import { renderEdge } from "../../release/render/nginxSite";
import { writeMainConfig } from "./support/nginx";

const cert = selfSignedCertificate(["localhost"]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edge-run-"));
let ports: { http: number; https: number; app: number };
const https = (p: string, ...args: string[]) => curl(["--cacert", path.join(dir, "cert.pem"), "--resolve", `localhost:${ports.https}:127.0.0.1`, ...args, `https://localhost:${ports.https}${p}`]);

beforeAll(async () => {
  ports = { http: await freePort(), https: await freePort(), app: await freePort() };
  fs.writeFileSync(path.join(dir, "cert.pem"), cert.certificate);
  fs.writeFileSync(path.join(dir, "key.pem"), cert.key);
  const edge = renderEdge({
    upstreamHost: "127.0.0.1", upstreamPort: ports.app, healthPath: "/edge-health", appHealthPath: "/up",
    tls: { certificateFile: path.join(dir, "cert.pem"), keyFile: path.join(dir, "key.pem"), publicOrigin: `https://localhost:${ports.https}` },
  }).replace("listen 80 default_server", `listen 127.0.0.1:${ports.http}`).replace("listen 443 ssl default_server", `listen 127.0.0.1:${ports.https} ssl`);
  const echo = `server { listen 127.0.0.1:${ports.app}; location / { return 200 "host=$http_host proto=$http_x_forwarded_proto for=$http_x_forwarded_for uri=$request_uri"; } }`;
  const conf = writeMainConfig(dir, `${edge}\n${echo}`, `${dir}/error.log`);
  // The master daemonizes: it must not hold a pipe the test waits on.
  execFileSync("nginx", ["-p", dir, "-c", conf], { stdio: "ignore" });
});

afterAll(() => {
  const pid = Number(fs.readFileSync(path.join(dir, "nginx.pid"), "utf8"));
  process.kill(pid, "SIGQUIT");
  fs.rmSync(dir, { recursive: true, force: true });
});

test("HTTPS reaches the app with the client's host and port, https, and the edge's own view of the client", async () => {
  const reply = await https("/orders?id=7", "-H", "X-Forwarded-For: 203.0.113.66", "-H", "X-Forwarded-Proto: http");
  expect(reply.code).toBe(0);
  expect(reply.body).toBe(`host=localhost:${ports.https} proto=https for=127.0.0.1 uri=/orders?id=7`);
  expect(reply.head).toMatch(/^strict-transport-security: max-age=31536000\r?$/im);
});

test("plain HTTP is redirected to the app URL, path and query kept", async () => {
  const reply = await curl([`http://127.0.0.1:${ports.http}/orders?id=7`]);
  expect(reply.head).toMatch(/^HTTP\/1\.1 301/);
  expect(reply.head).toMatch(new RegExp(`^location: https://localhost:${ports.https}/orders\\?id=7\\r?$`, "im"));
});

test("the app's health path and the edge's own answer over plain HTTP", async () => {
  expect((await curl([`http://127.0.0.1:${ports.http}/up`])).body).toBe(`host=127.0.0.1:${ports.http} proto=http for=127.0.0.1 uri=/up`);
  expect((await curl([`http://127.0.0.1:${ports.http}/edge-health`])).body).toBe("ok\n");
});

test("only TLS 1.2 and 1.3 are offered", async () => {
  expect((await https("/", "--tlsv1.2", "--tls-max", "1.2")).code).toBe(0);
  expect((await https("/", "--tlsv1.3", "--tls-max", "1.3")).code).toBe(0);
  expect((await https("/", "--tlsv1.1", "--tls-max", "1.1")).code).not.toBe(0);
});
