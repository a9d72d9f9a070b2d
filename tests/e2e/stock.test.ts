/**
 * A stock Laravel 8 application (examples/stock-laravel: the laravel/laravel skeleton, its config
 * files unchanged, no .dockerignore, the default phpredis client), deployed unchanged in
 * production shape: HTTPS at the edge with a certificate made here, MySQL in a container, Redis
 * reached through REDIS_HOST (the routers), uploads kept across releases.
 * Checks go through the real edge with real curl, and through a probe dropped into the running
 * containers (harness/stack/probe.ts), never through changes to the app.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { docker } from "../../harness/engine/dockerCli";
import { leftovers } from "../../harness/engine/dockerEngineMocks";
import { sleep, waitFor } from "../../harness/stack/fixtures";
import { curl, httpsGet, installProbe, PROBE_PATH, Reply } from "../../harness/stack/probe";
import { redisCli, sentinelMaster, stackContainers, startAndFirstRole, withRole } from "../../harness/stack/stackInspection";
import { StackUnderTest } from "../../harness/stack/stackUnderTest";
import { selfSignedCertificate } from "../../harness/tls";
import { PUBLIC_DIR } from "../../release/names";

jest.setTimeout(15 * 60_000);

const DOWN_AFTER_MS = 2000;
const stack = new StackUnderTest("stock", `db-${randomBytes(12).toString("hex")}`, DOWN_AFTER_MS, {
  appDir: "examples/stock-laravel",
  ownDatabase: "mysql",
});
const cert = selfSignedCertificate(["localhost", "127.0.0.1"]);
const certDir = fs.mkdtempSync(path.join(os.tmpdir(), "stock-ca-"));
const caFile = path.join(certDir, "ca.pem");
fs.writeFileSync(caFile, cert.certificate);
let origin = "";
let httpPort = "";
let httpsPort = "";

const containers = () => stackContainers(stack.prefix);
const get = (path: string): Promise<Reply> => httpsGet(`${origin}${path}`, cert.certificate);
const probe = async (query: string): Promise<any> => {
  const reply = await get(`${PROBE_PATH}?${query}`);
  if (reply.status !== 200) throw new Error(`probe ${query}: ${reply.status} ${reply.body}`);
  return JSON.parse(reply.body);
};
/** curl against the edge, resolving localhost to the loopback address the edge binds. */
const realCurl = (url: string, ...args: string[]) => curl(["--cacert", caFile, "--resolve", `localhost:${httpsPort}:127.0.0.1`, ...args, url]);

beforeAll(async () => {
  expect(await containers()).toEqual([]);
  await stack.prepare();
  httpPort = stack.get("edgeHttpPort")!;
  httpsPort = stack.get("edgeHttpsPort")!;
  origin = `https://localhost:${httpsPort}`;
  stack.set({ version: "v1.0.0", appUrl: origin, tlsCertificate: cert.certificate });
  stack.setSecret("tlsKey", cert.key);
  const run = await stack.up();
  console.log(`stock app deployed in ${(run.ms / 1000).toFixed(1)} s at ${run.outputs.url.value}`);
  await installProbe(await containers(), PUBLIC_DIR);
});

afterAll(async () => {
  fs.rmSync(certDir, { recursive: true, force: true });
  await stack.teardown();
  expect(await leftovers(stack.mocks.runId)).toEqual([]);
  expect(await containers()).toEqual([]);
});

test("the welcome page over HTTPS, trusted with the test's CA; HTTP redirects; TLS 1.2+ only, with HSTS", async () => {
  const page = await realCurl(`${origin}/`);
  expect(page.code).toBe(0);
  expect(page.head).toMatch(/^HTTP\/1\.1 200/);
  expect(page.head).toMatch(/^strict-transport-security: max-age=63072000/im);
  expect(page.body).toMatch(/Laravel v8\.\d+\.\d+ \(PHP v8\.2/);

  const plain = await curl(["--resolve", `localhost:${httpPort}:127.0.0.1`, `http://localhost:${httpPort}/some/page?x=1`]);
  expect(plain.head).toMatch(/^HTTP\/1\.1 301/);
  expect(plain.head).toMatch(new RegExp(`^location: ${origin}/some/page\\?x=1\\r?$`, "im"));

  expect((await realCurl(`${origin}/`, "--tlsv1.2", "--tls-max", "1.2")).code).toBe(0);
  expect((await realCurl(`${origin}/`, "--tlsv1.3", "--tls-max", "1.3")).code).toBe(0);
  expect((await realCurl(`${origin}/`, "--tlsv1.1", "--tls-max", "1.1")).code).not.toBe(0);
  // Without the test's CA the certificate is not trusted: curl really checks it.
  expect((await curl(["--resolve", `localhost:${httpsPort}:127.0.0.1`, `${origin}/`])).code).toBe(60);
});

test("another Host never reaches the app: no answer over HTTP, 421 over HTTPS; the health check by address still answers", async () => {
  expect((await curl(["-H", "Host: evil.example", `http://127.0.0.1:${httpPort}/`])).code).toBe(52);
  expect((await curl([`http://127.0.0.1:${httpPort}/`])).code).toBe(52);
  const tls = await realCurl(`${origin}/`, "-H", "Host: evil.example");
  expect(tls.head).toMatch(/^HTTP\/1\.1 421/);
  expect(tls.body).not.toMatch(/Laravel/);
  expect((await curl([`http://127.0.0.1:${httpPort}/edge-health`])).body).toBe("ok\n");
});

test("Laravel sees https, the client's address and the public URL, with the stock TrustProxies", async () => {
  const seen = await probe("op=request");
  expect(seen.secure).toBe(true);
  expect(seen.root).toBe(origin);
  expect(seen.url).toBe(`${origin}${PROBE_PATH}/probed`);
  // The edge's view of the client (through the host's port forwarding): never a container of the stack.
  const stackAddresses = JSON.parse(await docker(["network", "inspect", stack.prefix, "--format", "{{json .Containers}}"]));
  const containerIps = Object.values(stackAddresses).map((c: any) => c.IPv4Address.split("/")[0]);
  expect(containerIps).not.toContain(seen.ip);
  expect(seen.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
});

test("a static file comes from nginx's image, not from php-fpm", async () => {
  const robots = await get("/robots.txt");
  expect(robots.status).toBe(200);
  expect(robots.body).toBe("User-agent: *\nDisallow:\n");
  expect(robots.headers["content-type"]).toMatch(/^text\/plain/);
});

test("the stock migrations ran once, in MySQL", async () => {
  const all = await containers();
  const migrations = withRole(all, "migrate");
  expect(migrations.map((m) => [m.running, m.exitCode])).toEqual([[false, 0]]);
  const rows = await probe("op=migrations");
  expect(rows.map((r: { migration: string }) => r.migration)).toEqual([
    "2014_10_12_000000_create_users_table",
    "2014_10_12_100000_create_password_resets_table",
    "2019_08_19_000000_create_failed_jobs_table",
    "2019_12_14_000001_create_personal_access_tokens_table",
  ]);
  expect(withRole(all, "database")).toHaveLength(1);
  expect(await docker(["exec", withRole(all, "database")[0].id, "mysql", "--version"])).toMatch(/MariaDB|MySQL/i);
});

test("Cache::put and Cache::get through the stock config, across php-fpm replicas", async () => {
  const value = randomBytes(8).toString("hex");
  expect(await probe(`op=put&key=e2e-cache&value=${value}`)).toEqual({ ok: true });
  const hosts = new Set<string>();
  for (let i = 0; i < 12; i++) {
    expect(await probe("op=get&key=e2e-cache")).toEqual({ value });
    hosts.add((await probe("op=request")).host);
  }
  expect(hosts.size).toBeGreaterThanOrEqual(2);
});

test("a queued job is processed by a worker", async () => {
  const key = `e2e-job-${randomBytes(4).toString("hex")}`;
  expect(await probe(`op=dispatch&key=${key}`)).toEqual({ queued: true });
  const started = Date.now();
  const host = await waitFor("the job to run", 20_000, async () => (await probe(`op=get&key=${key}`)).value ?? undefined, 200);
  console.log(`stock app: queued job processed in ${Date.now() - started} ms`);
  expect(withRole(await containers(), "worker").map((c) => c.hostname)).toContain(host);
});

test("an upload is served by nginx, is shared by every php-fpm replica, and survives a release", async () => {
  const token = randomBytes(8).toString("hex");
  const { url } = await probe(`op=upload&path=e2e/upload.txt&value=${token}`);
  expect(url).toBe(`${origin}/storage/e2e/upload.txt`);
  expect((await get("/storage/e2e/upload.txt")).body).toBe(token);
  // Uploaded code is served as a file, never run.
  await probe(`op=upload&path=e2e/evil.php&value=${encodeURIComponent("<?php echo 'ran';")}`);
  expect((await get("/storage/e2e/evil.php")).body).toBe("<?php echo 'ran';");
  expect((await get("/storage/e2e/missing.txt")).status).toBe(404);

  const before = withRole(await containers(), "php-fpm").map((c) => c.id);
  stack.set({ version: "v1.1.0" });
  await stack.up();
  const after = withRole(await containers(), "php-fpm").filter((c) => c.running);
  expect(after.some((c) => before.includes(c.id))).toBe(false);
  expect((await get("/storage/e2e/upload.txt")).body).toBe(token);
  for (const fpm of after) {
    expect(await docker(["exec", fpm.id, "cat", "/var/www/app/storage/app/public/e2e/upload.txt"])).toBe(token);
  }
  // The new release ran no migration again.
  await installProbe(await containers(), PUBLIC_DIR);
  expect((await probe("op=migrations")).map((r: { batch: number }) => r.batch)).toEqual([1, 1, 1, 1]);
});

test("stopping the Redis master: the stock app's cache writes succeed again within down-after + 5 s, none reach the old master", async () => {
  const all = await containers();
  const sentinel = withRole(all, "redis-sentinel")[0].id;
  const service = withRole(all, "php-fpm")[0].env.find((e) => e.startsWith("REDIS_SENTINEL_SERVICE="))!.split("=")[1];
  const master = await sentinelMaster(sentinel, service);
  const masterContainer = withRole(all, "redis").find((c) => `${c.hostname}:6379` === master)!;

  let writing = true;
  const writes: { at: number; done: number; ok: boolean; error?: string }[] = [];
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const at = Date.now();
      const reply = await get(`${PROBE_PATH}?op=put&key=e2e-fo-${i}&value=${i}`).catch((e: Error) => ({ status: 0, body: e.message }));
      writes.push({ at, done: Date.now(), ok: reply.status === 200, ...(reply.status === 200 ? {} : { error: reply.body.slice(0, 200) }) });
      await sleep(50);
    }
  })();
  await sleep(1000);
  const stoppedAt = Date.now();
  await docker(["stop", "-t", "0", masterContainer.id]);
  await waitFor("a new master", DOWN_AFTER_MS + 15_000, async () => ((await sentinelMaster(sentinel, service)) !== master ? true : undefined), 100);
  await sleep(DOWN_AFTER_MS + 6000);
  writing = false;
  await writer;

  // Writes "succeed again" when the first write after the last failed one is acknowledged;
  // a write begun during the outage may also just wait (the routers hold it) and succeed late.
  const since = writes.filter((w) => w.at >= stoppedAt);
  const failures = since.filter((w) => !w.ok);
  const lastFailure = failures.length ? failures[failures.length - 1].done : stoppedAt;
  const backAt = since.find((w) => w.ok && w.at >= lastFailure)!.done;
  const slowest = Math.max(...since.map((w) => w.done - w.at));
  console.log(`stock app (Cache::put over phpredis, REDIS_HOST): writes succeed again ${backAt - stoppedAt} ms after the master stopped ` +
    `(down-after ${DOWN_AFTER_MS} ms); ${failures.length} of ${since.length} writes failed, the slowest took ${slowest} ms` +
    (failures[0] ? `; first error: ${failures[0].error}` : ""));
  expect(backAt - stoppedAt).toBeLessThanOrEqual(DOWN_AFTER_MS + 5000);
  expect(since.filter((w) => w.ok && w.at > backAt).length).toBeGreaterThan(10);

  // The old master comes back as a replica before it answers anyone: no write ever lands on it.
  expect(await startAndFirstRole(masterContainer.id)).toBe("slave");
  for (let i = 0; i < 20; i++) expect(await probe(`op=put&key=e2e-after-${i}&value=${i}`)).toEqual({ ok: true });
  expect(await redisCli(masterContainer.id, 6379, "info", "replication")).toMatch(/role:slave/);
  for (let i = 0; i < 20; i += 5) expect(await probe(`op=get&key=e2e-after-${i}`)).toEqual({ value: String(i) });
});
