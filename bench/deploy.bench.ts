/**
 * Deploys the e2e stack on the real engine and prints: time from `up` to the first 200 through
 * the edge, and the Redis failover time over several master stops. Numbers, not asserts:
 * run with `npm run bench`.
 */
import { randomBytes } from "crypto";
import { loadStackConfig, runProgram } from "../tests/support/program";
import { docker } from "../tests/e2e/engine/dockerCli";
import { DockerEngineMocks } from "../tests/e2e/engine/dockerEngineMocks";
import { freePort, sleep, STAND_INS, startDatabase, stopDatabase, waitFor } from "../tests/e2e/support/fixtures";
import { redisCli, sentinelMaster, stackContainers, withRole } from "../tests/e2e/support/stackInspection";

jest.setTimeout(20 * 60_000);
const PREFIX = "php-backend-bench";
const DOWN_AFTER_MS = Number(process.env.BENCH_DOWN_AFTER_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_FAILOVERS ?? 3);

test("deployment and failover timings", async () => {
  const mocks = new DockerEngineMocks();
  const dbPassword = randomBytes(12).toString("hex");
  const db = await startDatabase(mocks.runId, `${PREFIX}-postgres`, dbPassword);
  const lines: string[] = [];
  try {
    const edgePort = await freePort();
    const started = Date.now();
    const run = runProgram({
      stack: "bench",
      config: {
        ...loadStackConfig("local"),
        "php-backend:phpBaseImage": STAND_INS.debian, "php-backend:nginxBaseImage": STAND_INS.nginx,
        "php-backend:redisImage": STAND_INS.redis, "php-backend:registryImage": STAND_INS.registry,
        "php-backend:registryPort": String(await freePort()), "php-backend:edgeHttpPort": String(edgePort),
        "php-backend:sentinelDownAfterMs": String(DOWN_AFTER_MS),
        "php-backend:dbKind": "external", "php-backend:dbHost": db.host, "php-backend:dbNetwork": db.network,
      },
      secrets: { dbPassword },
      mocks,
      settle: (out) => mocks.value(out),
    });
    await waitFor("the first 200", 15 * 60_000, async () =>
      (await fetch(`http://127.0.0.1:${edgePort}/`).then((r) => r.status, () => 0)) === 200 ? true : undefined, 200);
    lines.push(`start to first 200 through the edge: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await run;

    const all = await stackContainers(PREFIX);
    const sentinel = withRole(all, "redis-sentinel")[0].id;
    const byHost = new Map(withRole(all, "redis").map((c) => [c.hostname, c.id]));
    for (let round = 1; round <= ROUNDS; round++) {
      const master = await sentinelMaster(sentinel, "app-redis");
      const id = byHost.get(master.split(":")[0])!;
      const stopped = Date.now();
      await docker(["stop", "-t", "0", id]);
      await waitFor("a new master", DOWN_AFTER_MS + 30_000, async () =>
        (await sentinelMaster(sentinel, "app-redis")) !== master ? true : undefined, 50);
      const promotedMs = Date.now() - stopped;
      await waitFor("GET / after failover", 30_000, async () =>
        (await fetch(`http://127.0.0.1:${edgePort}/`).then((r) => r.status, () => 0)) === 200 ? true : undefined, 50);
      const servingMs = Date.now() - stopped;
      await docker(["start", id]);
      const restarted = Date.now();
      await waitFor("rejoin", 90_000, async () =>
        /master_link_status:up/.test(await redisCli(id, 6379, "info", "replication")) ? true : undefined, 250);
      lines.push(`failover ${round} (down-after ${DOWN_AFTER_MS} ms): promoted after ${promotedMs} ms, ` +
        `GET / 200 after ${servingMs} ms, old master rejoined ${Date.now() - restarted} ms after start`);
      await sleep(2000);
    }
  } finally {
    console.log(lines.join("\n"));
    await mocks.teardown();
    await stopDatabase(db);
  }
  expect(lines.length).toBe(ROUNDS + 1);
});
