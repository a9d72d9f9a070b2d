/**
 * The edge's rendered config (TLS at the edge) run by the real nginx on loopback ports, in front
 * of an upstream that echoes what reaches it: the redirect, the Host with its port, the
 * X-Forwarded-* headers the app gets, the health paths by address, the Host allow-list, the body
 * size, and the TLS profile as a real client negotiates it.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "../../harness/stack/fixtures";
import { curl } from "../../harness/stack/probe";
import { selfSignedCertificate } from "../../harness/tls";
import { MOZILLA_INTERMEDIATE, renderEdge } from "../../release/render/edgeSite";
import { RunningNginx, startNginx } from "./support/nginx";

// RSA, so the RSA key-exchange suites a client offers are refused by the cipher list, not by the key.
const cert = selfSignedCertificate(["localhost"], 2, "rsa");
let nginx: RunningNginx;
let ports: { http: number; https: number; app: number };
const caFile = () => path.join(nginx.dir, "cert.pem");
const https = (p: string, ...args: string[]) => curl(["--cacert", caFile(), "--resolve", `localhost:${ports.https}:127.0.0.1`, ...args, `https://localhost:${ports.https}${p}`]);
const plain = (host: string, p: string, ...args: string[]) => curl(["-H", `Host: ${host}`, ...args, `http://127.0.0.1:${ports.http}${p}`]);

/** `openssl s_client` with TLS 1.2 and one cipher: true when the handshake completes. */
function tls12With(cipher: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = execFile("openssl", ["s_client", "-connect", `127.0.0.1:${ports.https}`, "-servername", "localhost", "-tls1_2", "-cipher", cipher],
      { encoding: "utf8", timeout: 10_000 }, (err, stdout) => resolve(!err && new RegExp(`Cipher is ${cipher}\\b`).test(stdout)));
    child.stdin!.end();
  });
}

beforeAll(async () => {
  ports = { http: await freePort(), https: await freePort(), app: await freePort() };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edge-run-"));
  fs.writeFileSync(path.join(dir, "cert.pem"), cert.certificate);
  fs.writeFileSync(path.join(dir, "key.pem"), cert.key);
  const edge = renderEdge({
    upstreamHost: "127.0.0.1", upstreamPort: ports.app, healthPath: "/edge-health", appHealthPath: "/up",
    publicOrigin: `https://localhost:${ports.https}`, maxBodySizeMb: 20,
    tls: { certificateFile: path.join(dir, "cert.pem"), keyFile: path.join(dir, "key.pem") },
  }).replace(/listen 80\b/g, `listen 127.0.0.1:${ports.http}`).replace(/listen 443\b/g, `listen 127.0.0.1:${ports.https}`);
  // The echo takes any body size: a 413 can only come from the edge.
  const echo = `server { listen 127.0.0.1:${ports.app}; client_max_body_size 0; location / { return 200 "host=$http_host proto=$http_x_forwarded_proto for=$http_x_forwarded_for uri=$request_uri"; } }`;
  nginx = startNginx(dir, `${edge}\n${echo}`);
});

afterAll(() => nginx.stop());

test("HTTPS reaches the app with the client's host and port, https, and the edge's own view of the client", async () => {
  const reply = await https("/orders?id=7", "-H", "X-Forwarded-For: 203.0.113.66", "-H", "X-Forwarded-Proto: http");
  expect(reply.code).toBe(0);
  expect(reply.body).toBe(`host=localhost:${ports.https} proto=https for=127.0.0.1 uri=/orders?id=7`);
  expect(reply.head).toMatch(/^strict-transport-security: max-age=63072000\r?$/im);
});

test("plain HTTP for the app's host is redirected to the app URL, path and query kept", async () => {
  const reply = await plain(`localhost:${ports.http}`, "/orders?id=7");
  expect(reply.head).toMatch(/^HTTP\/1\.1 301/);
  expect(reply.head).toMatch(new RegExp(`^location: https://localhost:${ports.https}/orders\\?id=7\\r?$`, "im"));
});

test("the app's health path and the edge's own answer over plain HTTP, called by address", async () => {
  expect((await curl([`http://127.0.0.1:${ports.http}/up`])).body).toBe(`host=127.0.0.1:${ports.http} proto=http for=127.0.0.1 uri=/up`);
  expect((await curl([`http://127.0.0.1:${ports.http}/edge-health`])).body).toBe("ok\n");
});

describe("Host allow-list", () => {
  test("another Host over plain HTTP gets no answer at all (444: curl sees an empty reply)", async () => {
    expect((await plain("evil.example", "/orders")).code).toBe(52);
    expect((await curl([`http://127.0.0.1:${ports.http}/orders`])).code).toBe(52);
    expect((await plain("evil.example", "/edge-health")).body).toBe("ok\n");
  });

  test("a TLS client naming another host is refused at the handshake; another Host after it gets 421", async () => {
    const sni = await curl(["-k", "--resolve", `evil.example:${ports.https}:127.0.0.1`, `https://evil.example:${ports.https}/`]);
    expect(sni.code).toBe(35);
    expect(sni.head).toMatch(/unrecognized name|alert/i);
    const host = await https("/orders", "-H", "Host: evil.example");
    expect(host.code).toBe(0);
    expect(host.head).toMatch(/^HTTP\/1\.1 421/);
    expect(host.body).not.toContain("host=");
  });
});

describe("request body size", () => {
  const post = (bytes: number) => {
    const file = path.join(nginx.dir, `body-${bytes}`);
    fs.writeFileSync(file, Buffer.alloc(bytes, 97));
    return https("/upload", "--data-binary", `@${file}`, "-H", "Content-Type: application/octet-stream", "-H", "Expect:");
  };

  test("a 5 MB POST reaches the app", async () => {
    const reply = await post(5_000_000);
    expect(reply.head).toMatch(/^HTTP\/1\.1 200/);
    expect(reply.body).toContain("uri=/upload");
  });

  test("a body over maxBodySizeMb (20 MiB) gets 413 from the edge", async () => {
    const reply = await post(20 * 1024 * 1024 + 1);
    expect(reply.head).toMatch(/^HTTP\/1\.1 413/);
  });
});

describe("Mozilla intermediate TLS", () => {
  test("only TLS 1.2 and 1.3 are offered", async () => {
    expect((await https("/", "--tlsv1.2", "--tls-max", "1.2")).code).toBe(0);
    expect((await https("/", "--tlsv1.3", "--tls-max", "1.3")).code).toBe(0);
    expect((await https("/", "--tlsv1.1", "--tls-max", "1.1")).code).not.toBe(0);
  });

  test("TLS 1.2 negotiates the profile's ECDHE suites and refuses RSA key exchange and CBC", async () => {
    expect(await tls12With("ECDHE-RSA-AES128-GCM-SHA256")).toBe(true);
    expect(await tls12With("ECDHE-RSA-CHACHA20-POLY1305")).toBe(true);
    expect(await tls12With("AES128-SHA")).toBe(false);
    expect(await tls12With("AES128-GCM-SHA256")).toBe(false);
    expect(await tls12With("ECDHE-RSA-AES128-SHA")).toBe(false);
  });

  test("the rendered list is exactly Mozilla's, in the client's order", () => {
    const site = fs.readFileSync(path.join(nginx.dir, "nginx.conf"), "utf8");
    expect(site).toContain(`ssl_ciphers ${MOZILLA_INTERMEDIATE.ciphers};`);
    expect(MOZILLA_INTERMEDIATE.ciphers.split(":")).toHaveLength(6);
    expect(site).toContain("ssl_prefer_server_ciphers off;");
  });
});
