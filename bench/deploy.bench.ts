/**
 * Deploys a stack on the real engine (harness/engine follows the Pulumi engine and the docker
 * provider) and prints: the first deploy's wall time, a version-bump preview's time, the version
 * bump's wall time and failed requests under a back-to-back client, and the Redis failover time
 * over several master stops. Numbers, not asserts: run with `npm run bench`.
 */
import { randomBytes } from "crypto";
import { docker } from "../harness/engine/dockerCli";
import { sleep, waitFor } from "../harness/stack/fixtures";
import { backToBack, failures } from "../harness/stack/load";
import { redisCli, sentinelMaster, stackContainers, withRole } from "../harness/stack/stackInspection";
import { changes, StackUnderTest } from "../harness/stack/stackUnderTest";

jest.setTimeout(30 * 60_000);
const DOWN_AFTER_MS = Number(process.env.BENCH_DOWN_AFTER_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_FAILOVERS ?? 3);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function failovers(prefix: string, url: string, lines: string[]) {
  const all = await stackContainers(prefix);
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
      (await fetch(url).then((r) => r.status, () => 0)) === 200 ? true : undefined, 50);
    const servingMs = Date.now() - stopped;
    await docker(["start", id]);
    const restarted = Date.now();
    await waitFor("rejoin", 90_000, async () =>
      /master_link_status:up/.test(await redisCli(id, 6379, "info", "replication")) ? true : undefined, 250);
    lines.push(`failover ${round} (down-after ${DOWN_AFTER_MS} ms): promoted after ${promotedMs} ms, ` +
      `GET / 200 after ${servingMs} ms, old master rejoined ${Date.now() - restarted} ms after start`);
    await sleep(2000);
  }
}

test("deploy, preview, release and failover timings", async () => {
  const stack = new StackUnderTest("bench", randomBytes(12).toString("hex"), DOWN_AFTER_MS);
  const lines: string[] = [];
  try {
    await stack.prepare();
    stack.set({ version: "v1.0.0" });
    const first = await stack.up();
    const url = first.outputs.url.value as string;
    lines.push(`first deploy (build, push, every container healthy): ${seconds(first.ms)}`);

    stack.set({ version: "v1.1.0" });
    const preview = await stack.preview();
    lines.push(`preview of a version bump: ${preview.ms} ms, ${changes(preview.plan).length} changes planned`);

    const load = backToBack([url]);
    const release = await stack.up();
    await sleep(2000);
    const results = await load.stop();
    lines.push(`release v1.0.0 → v1.1.0 under load: ${seconds(release.ms)}, ${results.length} requests, ${failures(results).length} failed`);

    await failovers(stack.prefix, url, lines);
  } finally {
    console.log(lines.join("\n"));
    await stack.teardown();
  }
  expect(lines.length).toBe(ROUNDS + 3);
});
