/**
 * The swarm target on a real three-node swarm (scripts/local-swarm.sh: this machine's engine as
 * the manager, two engines in network namespaces). The program runs under the stand-in engine,
 * which applies docker.Service and the other swarm resources through the manager with the
 * provider's update-or-replace rules (harness/README.md); every rollout, rollback, drain and
 * failover below is the swarm's own.
 */
import { execFile, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";
import { leftovers } from "../../harness/engine/dockerEngineMocks";
import { docker } from "../../harness/engine/dockerCli";
import { ROOT } from "../../harness/program";
import { unwrapSecrets } from "../../harness/secrets";
import { freePort, sleep, STAND_INS, waitFor } from "../../harness/stack/fixtures";
import { backToBack, failures, LoadResult } from "../../harness/stack/load";
import { LocalSwarm } from "../../harness/stack/localSwarm";
import { serviceTasks, stackServices, taskContainers } from "../../harness/stack/swarmInspection";
import { APP_DIR, changes, describePlan, StackUnderTest } from "../../harness/stack/stackUnderTest";

jest.setTimeout(30 * 60_000);

const SERVICE = "docker:index/service:Service";
const DOWN_AFTER_MS = 2000;
const dbPassword = `db-${randomBytes(12).toString("hex")}`;
let swarm: LocalSwarm;
let stack: StackUnderTest;
/** The edge on each worker (the stack file's swarmEdgeNodes), by node. */
const edges: Record<string, string> = {};

const json = async (url: string): Promise<any> => (await fetch(url, { signal: AbortSignal.timeout(5000) })).json();
const services = () => stackServices(stack.prefix);
const byRole = async (role: string) => (await services()).filter((s) => s.role === role);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const summary = (results: readonly LoadResult[]) => `${results.length} requests, ${failures(results).length} failed`;

/**
 * The sentinel's next `+switch-master` event (SUBSCRIBE on the sentinel, which publishes
 * "<name> <old host> <old port> <new host> <new port>"), with the time it arrived.
 */
function switchMaster(sentinel: string) {
  const sub = spawn("docker", ["exec", sentinel, "sh", "-c",
    "REDISCLI_AUTH=\"$(cat /run/secrets/REDIS_PASSWORD)\" exec redis-cli -p 26379 SUBSCRIBE +switch-master"], { stdio: ["ignore", "pipe", "inherit"] });
  const next = new Promise<{ master: string; at: number }>((resolve, reject) => {
    let lines: string[] = [];
    sub.stdout.on("data", (chunk: Buffer) => {
      lines = [...lines, ...String(chunk).split("\n")];
      // A published message is three lines: "message", the channel, the payload.
      const i = lines.findIndex((l, k) => l === "message" && lines[k + 1] === "+switch-master");
      if (i >= 0 && (lines[i + 2] ?? "").trim() !== "") resolve({ master: lines[i + 2].trim().split(" ")[3], at: Date.now() });
    });
    sub.on("exit", (code) => reject(new Error(`the sentinel subscription ended (${code}) before a +switch-master`)));
    setTimeout(() => reject(new Error("no +switch-master within 60 s")), 60_000).unref();
  });
  next.catch(() => undefined); // awaited later; not an unhandled rejection meanwhile
  return { next, stop: () => sub.kill() };
}

beforeAll(async () => {
  const registryPort = await freePort();
  swarm = new LocalSwarm(registryPort);
  await swarm.up([STAND_INS.nginx, STAND_INS.redis, STAND_INS.haproxy, STAND_INS.postgres]);
  stack = new StackUnderTest("e2e-swarm", dbPassword, DOWN_AFTER_MS, { swarm: { registryPort }, ownDatabase: "pgsql" });
  await stack.prepare();
  stack.set({ version: "v1.0.0" });
  const run = await stack.up();
  for (const node of ["lswarm1", "lswarm2"]) edges[node] = `http://${swarm.node(node).address}:${stack.get("edgeHttpPort")}/`;
  console.log(`first deploy on the swarm: ${seconds(run.ms)}`);
});

afterAll(async () => {
  try {
    if (stack) {
      await stack.teardown();
      expect(await leftovers(stack.mocks.runId)).toEqual([]);
      expect(await services()).toEqual([]);
    }
  } finally {
    await swarm?.down();
  }
  expect(await docker(["info", "--format", "{{.Swarm.LocalNodeState}}"])).toBe("inactive");
});

test("requests through either edge are answered by php-fpm tasks on at least two nodes", async () => {
  const names = await swarm.nodeNames();
  const answeredOn = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const reply = await json(Object.values(edges)[i % 2]);
    expect(reply.release).toBe("v1.0.0");
    // php-fpm-<slot>-<node id>
    answeredOn.add(names.get(String(reply.host).split("-").pop()!)!);
  }
  console.log(`php-fpm tasks that answered ran on: ${[...answeredOn].sort().join(", ")}`);
  expect(answeredOn.size).toBeGreaterThanOrEqual(2);
  const running = (await serviceTasks((await byRole("php-fpm"))[0].name)).filter((t) => t.desired === "running");
  expect(new Set(running.map((t) => t.nodeId)).size).toBeGreaterThanOrEqual(2);
});

test("no secret value is in any service's spec, environment or labels; each reaches the app as a file", async () => {
  const generated = stack.mocks.stack.deployedResources().filter((d) => d.type.startsWith("random:"));
  const values = generated.map((d) => unwrapSecrets(d.outputs)).flatMap((o: any) => [o.result, o.base64]).filter((v) => typeof v === "string");
  values.push(dbPassword);
  expect(values.length).toBeGreaterThanOrEqual(4);
  const specs = JSON.stringify((await services()).map((s) => s.raw));
  for (const v of values) expect(specs).not.toContain(v);

  const fpm = (await byRole("php-fpm"))[0].name;
  const [container] = await taskContainers(fpm);
  const files = (await docker(["exec", container, "ls", "/run/secrets"])).split("\n");
  expect(files).toEqual(expect.arrayContaining(["APP_KEY", "DB_PASSWORD", "REDIS_PASSWORD"]));
  expect(await docker(["exec", container, "cat", "/run/secrets/DB_PASSWORD"])).toBe(dbPassword);
  const inspected = JSON.parse(await docker(["inspect", container]))[0];
  for (const v of values) expect(JSON.stringify(inspected.Config.Env)).not.toContain(v);
});

test("a release v1.0.0 → v1.1.0 under load: the swarm updates the services in place, no request fails", async () => {
  const before = new Map((await services()).map((s) => [s.name, s.id]));
  const load = backToBack(Object.values(edges));
  stack.set({ version: "v1.1.0" });
  const run = await stack.up();
  await sleep(2000);
  const results = await load.stop();

  const serviceSteps = changes(run.plan).filter((s) => s.type === SERVICE);
  console.log(`swarm release v1.0.0 → v1.1.0: ${seconds(run.ms)} under load, ${summary(results)}\n  ${describePlan(changes(run.plan)).join("\n  ")}`);
  expect(failures(results)).toEqual([]);
  expect(results.filter((r) => r.body?.release === "v1.0.0").length).toBeGreaterThan(0);
  expect(results[results.length - 1].body.release).toBe("v1.1.0");
  expect(serviceSteps.map((s) => s.op)).toEqual(serviceSteps.map(() => "update"));
  expect(serviceSteps.length).toBeGreaterThanOrEqual(4);
  const after = await services();
  expect(new Map(after.map((s) => [s.name, s.id]))).toEqual(before);
  // The provider's wait ends once every replica runs the new spec; the swarm then still watches
  // the last ones for the monitor window before it marks the update completed. A service whose
  // image did not change (the same nginx assets) needs no new tasks and has no update status.
  const returned = Date.now();
  await waitFor("every rollout completed", 60_000, async () =>
    (await services()).filter((s) => s.updateState !== undefined).every((s) => s.updateState === "completed") ? true : undefined, 500);
  console.log(`  every rollout completed ${seconds(Date.now() - returned)} after \`pulumi up\` returned`);
});

test("a release whose health check fails is rolled back by the swarm; `pulumi up` fails with the reason; v1.1.0 keeps serving", async () => {
  const health = path.join(APP_DIR, "app", "Http", "Controllers", "HealthController.php");
  const original = fs.readFileSync(health, "utf8");
  const fpm = (await byRole("php-fpm"))[0];
  const load = backToBack(Object.values(edges));
  let error: Error | undefined;
  const started = Date.now();
  try {
    // Boots, migrates and passes the release check; only the app's health path fails.
    fs.writeFileSync(health, original.replace("response('ok', 200", "response('e2e: unhealthy release', 500"));
    stack.set({ version: "v1.2.0" });
    await stack.up().catch((e: Error) => (error = e));
  } finally {
    fs.writeFileSync(health, original);
  }
  const ms = Date.now() - started;
  const results = await load.stop();
  // What `npm run deploy:local` prints after a failed `pulumi up` on a swarm.
  const report = await new Promise<string>((resolve, reject) =>
    execFile("bash", [path.join(ROOT, "scripts", "swarm-tasks.sh"), stack.prefix], (err, out) => (err ? reject(err) : resolve(String(out)))));
  console.log(`bad release: \`pulumi up\` failed after ${seconds(ms)}: ${error?.message.split("\n").find((l) => /rollback/.test(l))}\n` +
    `  under load: ${summary(results)}\n  scripts/swarm-tasks.sh:\n    ${report.trim().split("\n").join("\n    ")}`);
  expect(error?.message).toMatch(/service rollback completed/);
  // The rolled-back service, the task the swarm named, and that task's own log: the app's 500 on /up.
  expect(report).toMatch(new RegExp(`^${fpm.name}: update rollback_(started|completed): update rolled back due to failure or early termination of task`, "m"));
  expect(report).toMatch(/"GET \/up" 500/);
  expect(failures(results)).toEqual([]);
  expect(results.every((r) => r.body?.release === "v1.1.0")).toBe(true);
  const now = await services();
  expect(now.find((s) => s.role === "php-fpm")!.image).toBe(fpm.image);
  // Nothing after php-fpm was touched.
  for (const role of ["worker", "scheduler", "app-nginx"]) expect(now.find((s) => s.role === role)!.raw.Spec.Labels["php-backend.release"]).toBe("v1.1.0");
});

test("draining a node under load moves its tasks; failed requests are counted", async () => {
  const fpm = (await byRole("php-fpm"))[0].name;
  const load = backToBack([edges.lswarm1]);
  const drained = Date.now();
  await swarm.setAvailability("lswarm2", "drain");
  const lswarm2 = await swarm.nodeId("lswarm2");
  await waitFor("no php-fpm task on lswarm2", 120_000, async () => {
    const running = (await serviceTasks(fpm)).filter((t) => t.desired === "running");
    return running.length === 3 && running.every((t) => t.nodeId !== lswarm2 && t.state === "running") ? true : undefined;
  }, 500);
  const movedMs = Date.now() - drained;
  await sleep(3000);
  const results = await load.stop();
  console.log(`drain lswarm2: php-fpm tasks moved in ${seconds(movedMs)}; ${summary(results)}`);
  await swarm.setAvailability("lswarm2", "active");
  expect(failures(results).length).toBeLessThanOrEqual(results.length * 0.01);
  await waitFor("the pinned services back on lswarm2", 120_000, async () => {
    const all = await services();
    const pinned = all.filter((s) => ["redis", "redis-sentinel", "edge"].includes(s.role));
    const tasks = (await Promise.all(pinned.map((s) => serviceTasks(s.name)))).flat().filter((t) => t.desired === "running");
    return tasks.every((t) => t.state === "running") ? true : undefined;
  }, 1000);
});

test("losing the node that holds the Redis master: sentinels fail over to another node and the app writes again within down-after + 5 s", async () => {
  const [sentinel] = await taskContainers(`${stack.prefix}-redis-sentinel-2`); // on lswarm0, the manager
  const master = async () => (await docker(["exec", sentinel, "sh", "-c",
    "REDISCLI_AUTH=\"$(cat /run/secrets/REDIS_PASSWORD)\" redis-cli -p 26379 SENTINEL get-master-addr-by-name app-redis"])).split("\n")[0];
  expect(await master()).toBe("redis-0"); // pinned to lswarm1
  // The sentinel announces the promotion itself: one subscription, instead of a `docker exec`
  // every 100 ms competing with the stack for this machine's two cores.
  const switched = switchMaster(sentinel);
  const load = backToBack([edges.lswarm2]);
  await sleep(3000);
  const lost = Date.now() - load.started;
  await swarm.cutOff("lswarm1");
  const { master: promoted, at: promotedAt } = await switched.next;
  const promotedMs = promotedAt - load.started - lost;
  await waitFor("writes again", 60_000, async () => {
    const last = load.results.slice(-5);
    return last.length === 5 && last.every((r) => r.at > lost && r.status === 200) ? true : undefined;
  }, 100);
  await sleep(3000);
  const results = await load.stop();
  const after = results.filter((r) => r.at >= lost);
  // Writes again: the first request after the promotion that succeeds, counted from the loss to its answer.
  const firstWrite = after.find((r) => r.status === 200 && r.at - lost >= promotedMs);
  const recoveredMs = firstWrite ? firstWrite.at + firstWrite.ms - lost : Infinity;
  const lastFailure = failures(after).pop();
  const slow = after.filter((r) => r.status !== 200 || r.ms > 500).map((r) => `${r.at - lost} ms: ${r.status || r.error} after ${r.ms} ms`);
  console.log(`lost lswarm1 (Redis master redis-0): ${promoted} promoted after ${promotedMs} ms; GET / (a counter in Redis) ` +
    `answered again ${recoveredMs} ms after the loss; ${summary(after)} after it` +
    `${lastFailure ? `, the last starting ${lastFailure.at - lost} ms after it` : ""}\n  slow or failed:\n    ${slow.join("\n    ")}`);

  // The host comes back: its engine rejoins and the tasks pinned to it run again (its Redis node
  // as a replica of the new master), so everything can be torn down.
  await swarm.reconnect("lswarm1");
  await waitFor("lswarm1 ready again", 120_000, async () => ((await swarm.nodeState("lswarm1")) === "ready" ? true : undefined), 1000);
  await waitFor("redis-0 back as a replica", 120_000, async () => {
    const [node] = await taskContainers(`${stack.prefix}-redis-0`, swarm.node("lswarm1").host);
    if (!node) return undefined;
    const info = await docker(["-H", swarm.node("lswarm1").host, "exec", node, "sh", "-c",
      "REDISCLI_AUTH=\"$(cat /run/secrets/REDIS_PASSWORD)\" redis-cli info replication"]).catch(() => "");
    return /role:slave/.test(info) && /master_link_status:up/.test(info) ? true : undefined;
  }, 1000);
  switched.stop();
  expect(["redis-1", "redis-2"]).toContain(promoted);
  expect(recoveredMs).toBeLessThanOrEqual(DOWN_AFTER_MS + 5000);
});
