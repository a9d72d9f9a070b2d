/**
 * The real program, deployed on a real Docker engine: the mocks apply every resource it
 * declares with the inputs it gave (harness/engine), then the running stack is checked.
 * Needs the stand-in base images: `npm run test:e2e` builds them first.
 */
import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";
import { ProgramOutputs } from "../../harness/program";
import { docker } from "../../harness/engine/dockerCli";
import { leftovers } from "../../harness/engine/dockerEngineMocks";
import { plantDotEnv, sleep, STAND_INS, waitFor } from "../../harness/stack/fixtures";
import { ContainerInfo, containerLogs, redisCli, sentinelMaster, stackContainers, startAndFirstRole, withRole } from "../../harness/stack/stackInspection";
import { APP_DIR, StackUnderTest } from "../../harness/stack/stackUnderTest";

jest.setTimeout(15 * 60_000);

const DOWN_AFTER_MS = 2000;
const CANARY = `canary-${randomBytes(8).toString("hex")}`;
const DB_PASSWORD = `db-${randomBytes(12).toString("hex")}`;

const stack = new StackUnderTest("e2e", DB_PASSWORD, DOWN_AFTER_MS);
const PREFIX = stack.prefix;
let outputs: ProgramOutputs;
let edge: string;
let restoreDotEnv: () => void = () => undefined;
let deployedAt = 0;

const get = (p: string, init?: RequestInit) => fetch(`${edge}${p.replace(/^\//, "")}`, { ...init, signal: AbortSignal.timeout(5000) });
const json = (r: Response): Promise<any> => r.json();
const containers = () => stackContainers(PREFIX);
const envValue = (c: ContainerInfo, key: string) => c.env.find((e) => e.startsWith(`${key}=`))!.slice(key.length + 1);

beforeAll(async () => {
  // Nothing of the stack may exist before the run.
  expect(await containers()).toEqual([]);
  await stack.prepare();
  restoreDotEnv = plantDotEnv(APP_DIR, CANARY);
  stack.set({ version: "v1.0.0" });
  const run = await stack.up();
  outputs = run.outputs;
  deployedAt = Date.now();
  edge = outputs.url.value as string;
  console.log(`deployed in ${(run.ms / 1000).toFixed(1)} s; edge at ${edge}`);
});

afterAll(async () => {
  restoreDotEnv();
  await stack.teardown();
  expect(await leftovers(stack.mocks.runId)).toEqual([]);
  expect(await containers()).toEqual([]);
});

test("GET / answers 200 through the edge, counts, and is served by several php-fpm replicas", async () => {
  const first = await json(await get("/"));
  const hosts = new Set<string>();
  let last = first.hits;
  for (let i = 0; i < 40; i++) {
    const res = await get("/");
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.hits).toBeGreaterThan(last);
    expect(body.release).toBe("v1.0.0");
    last = body.hits;
    hosts.add(body.host);
  }
  const fpmHosts = withRole(await containers(), "php-fpm").map((c) => c.hostname);
  expect([...hosts].every((h) => fpmHosts.includes(h))).toBe(true);
  expect(hosts.size).toBeGreaterThanOrEqual(2);
});

test("the static asset is served by nginx from its own image, not by php", async () => {
  const res = await get("/static/hello.txt");
  expect(res.status).toBe(200);
  expect((await res.text()).trim()).toBe("hello from nginx");
  for (const fpm of withRole(await containers(), "php-fpm")) {
    const logs = await containerLogs(fpm.id);
    expect(logs).toContain('"GET /" 200');
    expect(logs).not.toContain("/static/hello.txt");
  }
  // The file is in the nginx image itself; the one volume nginx mounts is the uploads, read-only.
  const nginx = withRole(await containers(), "app-nginx")[0];
  expect(await docker(["exec", nginx.id, "cat", "/var/www/app/public/static/hello.txt"])).toBe("hello from nginx");
  const mounts = JSON.parse(await docker(["inspect", "--format", "{{json .Mounts}}", nginx.id]));
  expect(mounts.map((m: any) => [m.Name, m.Destination, m.RW])).toEqual([[`${PREFIX}-uploads`, "/var/www/app/public/storage", false]]);
});

test("a dispatched job is processed by a worker within 10 s", async () => {
  const res = await get("/api/jobs", { method: "POST" });
  expect(res.status).toBe(202);
  const { id } = await json(res);
  const started = Date.now();
  const record = await waitFor("the job's result", 10_000, async () => {
    const r = await get(`/api/jobs/${id}`);
    return r.status === 200 ? json(r) : undefined;
  });
  console.log(`job processed in ${Date.now() - started} ms`);
  const workers = withRole(await containers(), "worker").map((c) => c.hostname);
  expect(workers).toContain(record.host);
});

test("the scheduler writes a heartbeat within 70 s", async () => {
  const remaining = Math.max(1000, 70_000 - (Date.now() - deployedAt));
  const beat = await waitFor("the scheduler heartbeat", remaining, async () => {
    const r = await get("/api/heartbeat");
    return r.status === 200 ? json(r) : undefined;
  }, 1000);
  const scheduler = withRole(await containers(), "scheduler")[0];
  expect(beat.host).toBe(scheduler.hostname);
});

test("the migration ran exactly once for the release, whatever the number of replicas", async () => {
  const all = await containers();
  const migrations = withRole(all, "migrate");
  expect(migrations).toHaveLength(1);
  expect(migrations[0].running).toBe(false);
  expect(migrations[0].exitCode).toBe(0);
  // The release check ran first, against the release's own database, cache and queue.
  const logs = await containerLogs(migrations[0].id);
  for (const check of ["database ok (pgsql)", "cache ok (redis)", "queue ok (redis)"]) expect(logs).toContain(`release check: ${check}`);
  expect(withRole(all, "php-fpm").length).toBeGreaterThanOrEqual(2);
  const rows = await json(await get("/api/migrations"));
  expect(rows.map((r: { migration: string }) => r.migration)).toEqual(["2024_01_01_000000_create_deployments_table"]);
});

test("no .env file and no secret value is in any image layer, history or label; only the edge publishes ports", async () => {
  const all = await containers();
  const fpm = withRole(all, "php-fpm")[0];
  const secrets = [CANARY, DB_PASSWORD, envValue(fpm, "APP_KEY"), envValue(fpm, "REDIS_PASSWORD")];
  const dir = fs.mkdtempSync("/tmp/e2e-image-");
  try {
    for (const image of [outputs.backendImage.value, outputs.nginxImage.value] as string[]) {
      const tarball = path.join(dir, "image.tar");
      await docker(["save", "-o", tarball, image]);
      await docker(["run", "--rm", "-v", `${dir}:/x`, STAND_INS.debian, "sh", "-c",
        "mkdir -p /x/img && tar -xf /x/image.tar -C /x/img && for l in /x/img/*/layer.tar; do tar -tf $l; done > /x/files.txt && for l in /x/img/*/layer.tar; do tar -xOf $l; done > /x/content.bin; chmod -R a+rwX /x"]);
      const files = fs.readFileSync(path.join(dir, "files.txt"), "utf8").split("\n");
      expect(files.filter((f) => /(^|\/)\.env(\.|$)/.test(f))).toEqual([]);
      const content = fs.readFileSync(path.join(dir, "content.bin"));
      const history = await docker(["history", "--no-trunc", "--format", "{{.CreatedBy}}", image]);
      const labels = await docker(["inspect", "--format", "{{json .Config.Labels}}", image]);
      for (const s of secrets) {
        expect(content.includes(Buffer.from(s))).toBe(false);
        expect(history).not.toContain(s);
        expect(labels).not.toContain(s);
      }
      fs.rmSync(path.join(dir, "img"), { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const c of all) for (const s of secrets) expect(JSON.stringify(c.labels)).not.toContain(s);
  const publishing = all.filter((c) => c.ports.length > 0);
  expect(publishing.map((c) => c.role).sort()).toEqual(["edge", "registry"]);
  expect(withRole(all, "registry")[0].ports.every((p) => p.hostIp === "127.0.0.1")).toBe(true);
});

/** Writes a key every 50 ms for argv[1] seconds through REDIS_HOST/REDIS_PORT with phpredis, as a stock app does. */
const STOCK_WRITER = `
$end = microtime(true) + (float) $argv[1];
$redis = null;
for ($i = 1; microtime(true) < $end; $i++) {
    $at = (int) (microtime(true) * 1000);
    try {
        if ($redis === null) {
            $redis = new Redis();
            $redis->connect(getenv('REDIS_HOST'), (int) getenv('REDIS_PORT'), 1.0, null, 0, 1.0);
            $redis->auth(getenv('REDIS_PASSWORD'));
        }
        if ($redis->set("e2e:stock:$i", (string) $i) !== true) {
            throw new RuntimeException($redis->getLastError() ?: 'SET failed');
        }
        echo "$at ok e2e:stock:$i\\n";
    } catch (Throwable $e) {
        $redis = null;
        echo "$at fail ", str_replace("\\n", ' ', $e->getMessage()), "\\n";
    }
    usleep(50000);
}
`;

function parseWrites(out: string): { at: number; ok: boolean; key: string }[] {
  return out.split("\n").filter(Boolean).map((line) => {
    const [at, result, rest] = line.split(" ", 3);
    return { at: Number(at), ok: result === "ok", key: rest };
  });
}

test("Redis failover: a replica is promoted, the app keeps serving, the old master rejoins as a replica", async () => {
  const all = await containers();
  const sentinel = withRole(all, "redis-sentinel")[0].id;
  const service = envValue(withRole(all, "php-fpm")[0], "REDIS_SENTINEL_SERVICE");
  const master = await sentinelMaster(sentinel, service);
  expect(master).toBe("redis-0:6379");
  const masterContainer = withRole(all, "redis").find((c) => c.hostname === "redis-0")!;

  // A stock client (phpredis, through REDIS_HOST/REDIS_PORT: the routers) writes while the master goes away.
  const stockWriter = docker(["exec", withRole(all, "php-fpm")[0].id, "php", "-r", STOCK_WRITER, String(DOWN_AFTER_MS / 1000 + 12)]);
  await sleep(1000);
  // The app keeps writing while the master goes away.
  let writing = true;
  const writes: { at: number; status: number }[] = [];
  const writer = (async () => {
    while (writing) {
      const at = Date.now();
      writes.push({ at, status: await get("/").then((r) => r.status, () => 0) });
      await sleep(100);
    }
  })();

  const stoppedAt = Date.now();
  await docker(["stop", "-t", "0", masterContainer.id]);
  const promoted = await waitFor("a new master", DOWN_AFTER_MS + 15_000, async () => {
    const now = await sentinelMaster(sentinel, service);
    return now !== master ? now : undefined;
  }, 100);
  const failoverMs = Date.now() - stoppedAt;
  console.log(`failover: ${promoted} promoted ${failoverMs} ms after the master stopped`);
  expect(failoverMs).toBeLessThanOrEqual(DOWN_AFTER_MS + 5000);

  await waitFor("GET / after the failover", 10_000, async () => ((await get("/")).status === 200 ? true : undefined));
  const recoveredAt = Date.now();
  await sleep(2000);
  writing = false;
  await writer;
  // Requests in flight while the master was gone may time out; every one sent after is served.
  const afterRecovery = writes.filter((w) => w.at >= recoveredAt);
  expect(afterRecovery.length).toBeGreaterThan(0);
  expect(afterRecovery.filter((w) => w.status !== 200)).toEqual([]);
  const during = writes.filter((w) => w.at < recoveredAt);
  console.log(`during failover: ${during.filter((w) => w.status !== 200).length} of ${during.length} requests failed`);

  const stock = parseWrites(await stockWriter);
  const failures = stock.filter((w) => !w.ok && w.at >= stoppedAt);
  const lastFailure = failures.length ? failures[failures.length - 1].at : stoppedAt;
  const firstFailure = failures.length ? failures[0].at : stoppedAt;
  console.log(`stock client through the routers: writes failed for ${lastFailure - firstFailure} ms ` +
    `(${failures.length} of ${stock.length} writes; first failure ${firstFailure - stoppedAt} ms after the stop, ` +
    `writes back ${lastFailure - stoppedAt} ms after it)`);
  expect(lastFailure - stoppedAt).toBeLessThanOrEqual(DOWN_AFTER_MS + 5000);
  expect(stock.filter((w) => w.ok && w.at > lastFailure).length).toBeGreaterThan(0);
  // Every write acknowledged after the failover is on the new master.
  const acked = stock.filter((w) => w.ok && w.at > lastFailure).map((w) => w.key);
  const newMaster = withRole(all, "redis").find((c) => `${c.hostname}:6379` === promoted)!;
  const values = (await redisCli(newMaster.id, 6379, "mget", ...acked)).split("\n");
  expect(values.filter((v) => v === "")).toEqual([]);

  const restartedAt = Date.now();
  // The old master asks the sentinels before it starts: it is a replica from its first answer.
  expect(await startAndFirstRole(masterContainer.id)).toBe("slave");
  await waitFor("the old master to rejoin as a replica", 60_000, async () => {
    const info = await redisCli(masterContainer.id, 6379, "info", "replication");
    return /role:slave/.test(info) && /master_link_status:up/.test(info) ? true : undefined;
  }, 500);
  console.log(`old master rejoined as a replica ${Date.now() - restartedAt} ms after it started`);
});
