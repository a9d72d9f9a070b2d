/**
 * The two targets side by side, in one run, on the same app (examples/laravel-app): the first
 * deploy, then a release v1.0.0 → v1.1.0 under a back-to-back client, with its wall time and
 * failed requests, on one Docker host (`docker`) and on the local three-node swarm (`swarm`).
 * Numbers, not asserts: `npm run bench`.
 */
import { randomBytes } from "crypto";
import { freePort, sleep, STAND_INS } from "../harness/stack/fixtures";
import { backToBack, failures } from "../harness/stack/load";
import { LocalSwarm } from "../harness/stack/localSwarm";
import { StackOptions, StackUnderTest } from "../harness/stack/stackUnderTest";

jest.setTimeout(30 * 60_000);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function release(name: string, options: StackOptions, urls: (deployedUrl: string) => string[]): Promise<string> {
  const stack = new StackUnderTest(name, randomBytes(12).toString("hex"), 2000, { ownDatabase: "pgsql", ...options });
  try {
    await stack.prepare();
    stack.set({ version: "v1.0.0" });
    const first = await stack.up();
    const load = backToBack(urls(first.outputs.url.value as string));
    stack.set({ version: "v1.1.0" });
    const run = await stack.up();
    await sleep(2000);
    const results = await load.stop();
    return `first deploy ${seconds(first.ms)}; release under load ${seconds(run.ms)}, ${results.length} requests, ${failures(results).length} failed`;
  } finally {
    await stack.teardown();
  }
}

test("release wall time and failed requests: docker target and swarm target", async () => {
  const lines: string[] = [];
  lines.push(`docker (one host, 2 php-fpm, 2 nginx): ${await release("bench-docker", {}, (url) => [url])}`);

  const registryPort = await freePort();
  const swarm = new LocalSwarm(registryPort);
  try {
    await swarm.up([STAND_INS.nginx, STAND_INS.redis, STAND_INS.haproxy, STAND_INS.postgres]);
    const edges = ["lswarm1", "lswarm2"].map((n) => `http://${swarm.node(n).address}:8080/`);
    lines.push(`swarm (3 nodes, 3 php-fpm, 2 nginx, 2 edges): ${await release("bench-swarm", { swarm: { registryPort } }, () => edges)}`);
  } finally {
    await swarm.down();
    console.log(lines.join("\n"));
  }
  expect(lines).toHaveLength(2);
});
