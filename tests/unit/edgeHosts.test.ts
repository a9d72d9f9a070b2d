/**
 * The edge's rendered config in the two other shapes, run by the real nginx: behind a
 * TLS-terminating load balancer (HSTS and the redirect follow its X-Forwarded-Proto), and with TLS
 * at the edge for an app served by address (no server name in the handshake) plus an alias.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "../../harness/stack/fixtures";
import { curl } from "../../harness/stack/probe";
import { selfSignedCertificate } from "../../harness/tls";
import { renderEdge } from "../../release/render/edgeSite";
import { RunningNginx, startNginx } from "./support/nginx";

const echoServer = (port: number) =>
  `server { listen 127.0.0.1:${port}; location / { return 200 "host=$http_host proto=$http_x_forwarded_proto uri=$request_uri"; } }`;

describe("behind a load balancer (appUrl https://www.example.com, alias example.com)", () => {
  let nginx: RunningNginx;
  let port: number;
  const get = (host: string, p: string, proto?: string) =>
    curl(["-H", `Host: ${host}`, ...(proto ? ["-H", `X-Forwarded-Proto: ${proto}`] : []), `http://127.0.0.1:${port}${p}`]);

  beforeAll(async () => {
    port = await freePort();
    const app = await freePort();
    const edge = renderEdge({
      upstreamHost: "127.0.0.1", upstreamPort: app, healthPath: "/edge-health", appHealthPath: "/up",
      publicOrigin: "https://www.example.com", hostAliases: ["example.com"], maxBodySizeMb: 20, behindLoadBalancer: true,
    }).replace(/listen 80\b/g, `listen 127.0.0.1:${port}`);
    nginx = startNginx(fs.mkdtempSync(path.join(os.tmpdir(), "edge-lb-")), `${edge}\n${echoServer(app)}`);
  });

  afterAll(() => nginx.stop());

  test("a request the balancer received over https is proxied with HSTS on the answer", async () => {
    const reply = await get("www.example.com", "/orders?id=7", "https");
    expect(reply.body).toBe("host=www.example.com proto=https uri=/orders?id=7");
    expect(reply.head).toMatch(/^strict-transport-security: max-age=63072000\r?$/im);
    expect((await get("example.com", "/", "https")).body).toBe("host=example.com proto=https uri=/");
  });

  test("one it received over plain http is redirected to the app URL, without HSTS", async () => {
    const reply = await get("www.example.com", "/orders?id=7", "http");
    expect(reply.head).toMatch(/^HTTP\/1\.1 301/);
    expect(reply.head).toMatch(/^location: https:\/\/www\.example\.com\/orders\?id=7\r?$/im);
    expect(reply.head).not.toMatch(/strict-transport-security/i);
  });

  test("the health paths answer whatever the scheme and Host (the balancer's checks)", async () => {
    expect((await get("10.0.0.5", "/up", "http")).body).toBe("host=10.0.0.5 proto=http uri=/up");
    expect((await get("10.0.0.5", "/edge-health")).body).toBe("ok\n");
  });

  test("another Host gets no answer", async () => {
    expect((await get("evil.example", "/orders", "https")).code).toBe(52);
  });
});

describe("TLS at the edge for an app served by address (https://127.0.0.1:port, alias localhost)", () => {
  const cert = selfSignedCertificate(["127.0.0.1", "localhost"]);
  let nginx: RunningNginx;
  let ports: { http: number; https: number };
  const https = (host: string, p: string) =>
    curl(["--cacert", path.join(nginx.dir, "cert.pem"), "--resolve", `localhost:${ports.https}:127.0.0.1`, "-H", `Host: ${host}`, `https://127.0.0.1:${ports.https}${p}`]);

  beforeAll(async () => {
    ports = { http: await freePort(), https: await freePort() };
    const app = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edge-ip-"));
    fs.writeFileSync(path.join(dir, "cert.pem"), cert.certificate);
    fs.writeFileSync(path.join(dir, "key.pem"), cert.key);
    const edge = renderEdge({
      upstreamHost: "127.0.0.1", upstreamPort: app, healthPath: "/edge-health",
      publicOrigin: `https://127.0.0.1:${ports.https}`, hostAliases: ["localhost"], maxBodySizeMb: 20,
      tls: { certificateFile: path.join(dir, "cert.pem"), keyFile: path.join(dir, "key.pem") },
    }).replace(/listen 80\b/g, `listen 127.0.0.1:${ports.http}`).replace(/listen 443\b/g, `listen 127.0.0.1:${ports.https}`);
    nginx = startNginx(dir, `${edge}\n${echoServer(app)}`);
  });

  afterAll(() => nginx.stop());

  test("a client that sends no server name completes the handshake and reaches the app", async () => {
    const reply = await https(`127.0.0.1:${ports.https}`, "/orders");
    expect(reply.code).toBe(0);
    expect(reply.body).toBe(`host=127.0.0.1:${ports.https} proto=https uri=/orders`);
    expect((await https(`localhost:${ports.https}`, "/")).body).toBe(`host=localhost:${ports.https} proto=https uri=/`);
  });

  test("another Host on that connection gets 421, never the app", async () => {
    const reply = await https("evil.example", "/orders");
    expect(reply.head).toMatch(/^HTTP\/1\.1 421/);
    expect(reply.body).not.toContain("host=");
  });

  test("plain HTTP by address is redirected; by another name it gets no answer", async () => {
    expect((await curl([`http://127.0.0.1:${ports.http}/x`])).head).toMatch(new RegExp(`^location: https://127\\.0\\.0\\.1:${ports.https}/x\\r?$`, "im"));
    expect((await curl(["-H", "Host: evil.example", `http://127.0.0.1:${ports.http}/x`])).code).toBe(52);
  });
});
