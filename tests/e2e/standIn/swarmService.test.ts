/**
 * Swarm resources through the engine mocks on a real 3-node local swarm (scripts/local-swarm.sh):
 * an attachable overlay network, a secret, a config, a replicated service with converge_config
 * ("web", 2 replicas on the workers, start-first rollout with rollback) and a global one without
 * ("edge", on lswarm1 only, publishing a host-mode port that relays to web over the overlay).
 * Runs of small programs are `pulumi up`s of one stack: the same program again is all "same";
 * an image change updates web in place (same id, the engine replaces its tasks start-first); an
 * alias change replaces it; an image that cannot start rolls the update back and fails it with
 * the provider's error. Teardown leaves nothing on any node and `down` restores the host.
 * Needs root, a Docker engine not in swarm mode, and stand-in/debian:bookworm.
 */
import { execFile } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import type * as dockerType from "@pulumi/docker";
import type * as pulumiType from "@pulumi/pulumi";
import { engine } from "../../../harness/engine/dockerApi";
import { DockerEngineMocks, leftovers, PlannedStep } from "../../../harness/engine/dockerEngineMocks";

jest.setTimeout(4 * 60_000);
const SCRIPT = path.join(__dirname, "..", "..", "..", "scripts", "local-swarm.sh");
const BASE = "stand-in/debian:bookworm";
const SERVICE = "docker:index/service:Service";
const PORT = 20000 + Math.floor(Math.random() * 9000);
const WORKER1 = "172.16.213.2";
const mocks = new DockerEngineMocks();
const encMocks = new DockerEngineMocks();
const run = mocks.runId;
const b64 = (s: string) => Buffer.from(s).toString("base64");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sh(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("bash", [SCRIPT, ...args], { maxBuffer: 16 << 20 }, (err, stdout, stderr) => (err ? reject(new Error(`${args[0]}: ${stderr}`)) : resolve(stdout))),
  );
}

/** web: answers each connection with the config, the secret and its host name. */
const WEB = `$SIG{TERM} = sub { exit 0 }; use IO::Socket::INET;
open(my $t, "<", "/run/secrets/token") or die "secret: $!"; my $token = <$t>;
open(my $g, "<", "/etc/greeting") or die "config: $!"; my $greeting = <$g>;
my $s = IO::Socket::INET->new(LocalPort => 8080, Listen => 10, ReuseAddr => 1) or die "listen: $!";
while (my $c = $s->accept) { print $c "$greeting $token $ENV{HOSTNAME}\\n"; close $c; }`;
/** edge: relays each connection to web:8080 (the overlay alias). */
const EDGE = `$SIG{TERM} = sub { exit 0 }; use IO::Socket::INET;
my $s = IO::Socket::INET->new(LocalPort => 8080, Listen => 10, ReuseAddr => 1) or die "listen: $!";
while (my $c = $s->accept) { my $u = IO::Socket::INET->new(PeerAddr => "web", PeerPort => 8080, Timeout => 3);
  print $c ($u ? scalar(<$u>) : "no upstream: $@\\n"); close $c; }`;

interface Spec {
  image: string;
  aliases: string[];
}

function rollout(failureAction: string) {
  return { parallelism: 1, delay: "0s", failureAction, monitor: "2s", maxFailureRatio: "0.0", order: "start-first" };
}

/** The program: network, secret, config, web, edge. */
function program(docker: typeof dockerType, spec: Spec) {
  const network = new docker.Network("net", { name: `net-${run}`, driver: "overlay", attachable: true, labels: [{ label: "purpose", value: "swarm-e2e" }] }, { deleteBeforeReplace: true });
  const token = new docker.Secret("token", { name: `token-${run}`, data: b64("s3cr3t"), labels: [{ label: "purpose", value: "swarm-e2e" }] }, { deleteBeforeReplace: true });
  const greeting = new docker.ServiceConfig("greeting", { name: `greeting-${run}`, data: b64("hello") }, { deleteBeforeReplace: true });
  const web = new docker.Service("web", {
    name: `web-${run}`,
    labels: [{ label: "purpose", value: "swarm-e2e" }],
    mode: { replicated: { replicas: 2 } },
    taskSpec: {
      containerSpec: {
        image: spec.image,
        commands: ["perl", "-e", WEB],
        env: { PERL_BADLANG: "0" },
        dir: "/",
        labels: [{ label: "role", value: "web" }],
        mounts: [{ target: "/data", source: `data-${run}`, type: "volume", volumeOptions: { labels: [{ label: "purpose", value: "swarm-e2e" }] } }],
        secrets: [{ secretId: token.id, secretName: token.name, fileName: "token", fileMode: 0o400 }],
        configs: [{ configId: greeting.id, configName: greeting.name, fileName: "/etc/greeting" }],
        healthcheck: { tests: ["CMD", "true"], interval: "1s", timeout: "1s", retries: 2, startPeriod: "0s" },
        stopSignal: "SIGTERM",
        stopGracePeriod: "2s",
      },
      resources: { limits: { nanoCpus: 500_000_000, memoryBytes: 64 << 20 }, reservation: { nanoCpus: 10_000_000, memoryBytes: 8 << 20 } },
      restartPolicy: { condition: "any", delay: "1s", maxAttempts: 0, window: "0s" },
      placement: { constraints: ["node.role==worker"], prefs: ["node.labels.php-backend.node"], maxReplicas: 2 },
      networksAdvanceds: [{ id: network.id, aliases: spec.aliases }],
      logDriver: { name: "json-file", options: { "max-size": "1m" } },
    },
    updateConfig: rollout("rollback"),
    rollbackConfig: rollout("pause"),
    endpointSpec: { mode: "dnsrr" },
    convergeConfig: { delay: "1s", timeout: "60s" },
  }, { deleteBeforeReplace: true });
  // Global: no converge_config (it conflicts with mode.0.global in the provider's schema).
  const edge = new docker.Service("edge", {
    name: `edge-${run}`,
    mode: { global: true },
    taskSpec: {
      containerSpec: { image: BASE, commands: ["perl", "-e", EDGE], stopGracePeriod: "0s" },
      placement: { constraints: ["node.labels.php-backend.node==lswarm1"] },
      networksAdvanceds: [{ id: network.id }],
    },
    endpointSpec: { mode: "dnsrr", ports: [{ targetPort: 8080, publishedPort: PORT, publishMode: "host", protocol: "tcp" }] },
  }, { deleteBeforeReplace: true });
  return { web: web.id, edge: edge.id, network: network.id };
}

/** One `pulumi up` of the program (fresh SDK modules). */
async function up(spec: Spec): Promise<{ plan: PlannedStep[]; web: string; edge: string; network: string }> {
  let pulumi!: typeof pulumiType;
  let outs!: ReturnType<typeof program>;
  jest.isolateModules(() => {
    pulumi = require("@pulumi/pulumi");
    const docker: typeof dockerType = require("@pulumi/docker");
    mocks.install(pulumi, "proj", "swarm", false);
    mocks.begin("update");
    outs = program(docker, spec);
  });
  const [web, edge, network] = await Promise.all([mocks.value(outs.web), mocks.value(outs.edge), mocks.value(outs.network)]);
  await pulumi.runtime.disconnect();
  return { plan: await mocks.finish(), web, edge, network };
}

const opsOf = (plan: PlannedStep[]) => Object.fromEntries(plan.map((s) => [s.name, s.op]));
const tasks = (service: string) => engine<any[]>("GET", `/tasks?filters=${encodeURIComponent(JSON.stringify({ service: [service] }))}`);
const running = async (service: string) => (await tasks(service)).filter((t) => t.Status.State === "running" && t.DesiredState === "running");

/** One line from a TCP port (edge relays web's answer). */
function readLine(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: 5000 });
    let data = "";
    socket.on("data", (d) => (data += d.toString()));
    socket.on("end", () => resolve(data.trim()));
    socket.on("timeout", () => socket.destroy(new Error("timeout")));
    socket.on("error", reject);
  });
}
async function edgeAnswer(deadlineMs = 30_000): Promise<string> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const line = await readLine(WORKER1, PORT).catch((e: Error) => `error: ${e.message}`);
    if (line.startsWith("hello")) return line;
    if (Date.now() > until) throw new Error(`edge never answered from web: ${line}`);
    await sleep(500);
  }
}

const first: Spec = { image: BASE, aliases: ["web"] };
let created: { web: string; edge: string; network: string };
let baseImageId: string;
const started = Date.now();

beforeAll(async () => {
  await sh(["up", "3"]);
  await sh(["load-images", BASE]);
  baseImageId = (await engine("GET", `/images/${encodeURIComponent(BASE)}/json`)).Id;
});

afterAll(async () => {
  try {
    await Promise.all([mocks.teardown(), encMocks.teardown()]);
    expect(await leftovers(run)).toEqual([]);
    expect(await leftovers(encMocks.runId)).toEqual([]);
  } finally {
    await sh(["down"]);
    console.log(`swarmService.test.ts: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  expect((await engine("GET", "/info")).Swarm.LocalNodeState).toBe("inactive");
});

test("create: the service converges, edge relays over the overlay, the state is what the provider reads back", async () => {
  const r = await up(first);
  expect(opsOf(r.plan)).toEqual({ net: "create", token: "create", greeting: "create", web: "create", edge: "create" });
  created = r;
  expect(await running(r.web)).toHaveLength(2); // converge_config waited for both replicas
  const answer = await edgeAnswer();
  expect(answer).toMatch(/^hello s3cr3t [0-9a-f]{12}$/);
  const svc = await engine("GET", `/services/${r.web}`);
  expect(svc.Spec.TaskTemplate.Networks).toEqual([{ Target: r.network, Aliases: ["web"] }]);
  const state = mocks.stack.deployedResources().find((d) => d.name === "web")!.state as any;
  expect(state.taskSpec.networksAdvanceds).toEqual([{ id: r.network, aliases: ["web"], driverOpts: [] }]);
  expect(state.taskSpec.containerSpec.healthcheck).toEqual({ tests: ["CMD", "true"], interval: "1s", timeout: "1s", startPeriod: "0s", retries: 2 });
  expect(state.updateConfig).toEqual({ ...rollout("rollback"), maxFailureRatio: "0.0" });
});

test("the same program again: every resource is the same", async () => {
  const r = await up(first);
  expect(new Set(r.plan.map((s) => s.op))).toEqual(new Set(["same"]));
  expect(r.web).toBe(created.web);
});

test("an image change updates the service in place: same id, tasks replaced start-first", async () => {
  const before = (await running(created.web)).map((t) => t.ID);
  const r = await up({ ...first, image: baseImageId });
  expect(r.plan.filter((s) => s.op !== "same")).toEqual([{ op: "update", type: SERVICE, name: "web", fields: ["taskSpec.containerSpec.image"] }]);
  expect(r.web).toBe(created.web);
  const now = await running(created.web);
  expect(now).toHaveLength(2);
  expect(now.every((t) => !before.includes(t.ID) && t.Spec.ContainerSpec.Image === baseImageId)).toBe(true);
  // start-first: in each slot the old task was shut down only after its successor ran.
  for (const t of now) {
    const old = (await tasks(created.web)).find((o) => o.Slot === t.Slot && before.includes(o.ID))!;
    expect(Date.parse(old.Status.Timestamp)).toBeGreaterThanOrEqual(Date.parse(t.Status.Timestamp));
  }
  expect(new Set((await up({ ...first, image: baseImageId })).plan.map((s) => s.op))).toEqual(new Set(["same"]));
});

test("an alias change replaces the service (delete first: its name is fixed)", async () => {
  const r = await up({ image: baseImageId, aliases: ["web", "www"] });
  expect(r.plan.filter((s) => s.op !== "same")).toEqual([
    { op: "replace", type: SERVICE, name: "web", deleteFirst: true, fields: ["taskSpec.networksAdvanceds"] },
  ]);
  expect(r.web).not.toBe(created.web);
  await expect(engine("GET", `/services/${created.web}`)).rejects.toThrow(/404/);
  expect(await running(r.web)).toHaveLength(2);
  created = r;
  expect(await edgeAnswer()).toMatch(/^hello s3cr3t/);
});

test("an overlay network with options: its read-back adds the driver's, so every run replaces it; a secret without a name is autonamed", async () => {
  const upEnc = async () => {
    let pulumi!: typeof pulumiType;
    let id!: pulumiType.Output<string>;
    let anon!: pulumiType.Output<string>;
    jest.isolateModules(() => {
      pulumi = require("@pulumi/pulumi");
      const docker: typeof dockerType = require("@pulumi/docker");
      encMocks.install(pulumi, "proj", "enc", false);
      encMocks.begin("update");
      const options = { encrypted: "" };
      id = new docker.Network("enc", { name: `enc-${run}`, driver: "overlay", attachable: true, options }, { deleteBeforeReplace: true }).id;
      anon = new docker.Secret("anon", { data: b64("x") }, { deleteBeforeReplace: false }).name;
    });
    const [value, name] = [await encMocks.value(id), await encMocks.value(anon)];
    await pulumi.runtime.disconnect();
    return { plan: await encMocks.finish(), id: value, name };
  };
  const a = await upEnc();
  expect((await engine("GET", `/networks/${a.id}`)).Options).toEqual({ encrypted: "", "com.docker.network.driver.overlay.vxlanid_list": expect.any(String) });
  expect(a.name).toMatch(/^anon-[0-9a-f]{7}$/);
  const b = await upEnc();
  expect(b.plan).toHaveLength(2);
  expect(b.plan).toEqual(expect.arrayContaining([
    { op: "replace", type: "docker:index/network:Network", name: "enc", deleteFirst: true, fields: ["options"] },
    { op: "same", type: "docker:index/secret:Secret", name: "anon" },
  ]));
  expect(b.id).not.toBe(a.id);
  expect(b.name).toBe(a.name);
});

/**
 * Last, as the stack is left failed: the engine mocks do not model the state a failed update
 * leaves (the bridge keeps the planned state as a partial result). Called without the SDK, where
 * a failed registration would be an unhandled rejection.
 */
test("an image that cannot run: the engine rolls the update back, the provider fails the update", async () => {
  const before = await engine("GET", `/services/${created.web}`);
  const web = mocks.stack.deployedResources().find((d) => d.name === "web")!;
  const inputs = JSON.parse(JSON.stringify(web.rawInputs));
  inputs.taskSpec.containerSpec.image = "stand-in/debian:no-such-tag";
  mocks.begin("update");
  const update = mocks.newResource({ type: SERVICE, name: "web", inputs, custom: true });
  // The message is the service's UpdateStatus.Message when the provider looks: during the rollback
  // (all replicas running again) or after it.
  const error = await update.then(() => new Error("the update succeeded"), (e: Error) => e);
  console.log(`rollback: ${error.message}`);
  expect(error.message).toMatch(/: service rollback completed: (rollback completed|update rolled back due to failure or early termination of task \w+)$/);
  mocks.stack.abandon("web: service rollback completed");
  const after = await engine("GET", `/services/${created.web}`);
  expect(after.UpdateStatus.State).toMatch(/^rollback_(started|completed)$/);
  expect(after.Spec.TaskTemplate.ContainerSpec.Image).toBe(before.Spec.TaskTemplate.ContainerSpec.Image);
  expect(await running(created.web)).toHaveLength(2);
});
