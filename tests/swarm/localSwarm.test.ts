/**
 * scripts/local-swarm.sh, the groundwork for the Docker Swarm target (issue 10): a 3-node swarm
 * on this one machine (the host's dockerd as the manager, two dockerds in their own network
 * namespaces as workers), proven end to end through the script:
 *   up 3 -> status shows 3 ready nodes -> load-images stand-in/nginx:1.22 -> an attachable
 *   overlay network and a `--endpoint-mode dnsrr --replicas 3 --placement-pref spread=node.id`
 *   service: one task per node, `getent hosts <service>` from a container on the network lists
 *   the 3 task addresses and each answers HTTP (with its node id) -> the service rolled onto a
 *   digest-pinned image from a registry published on the host's 127.0.0.1 only (as the stack's
 *   local registry is), which every node pulls by that same reference -> service, network and
 *   registry removed -> down -> the host engine is back as it was (not in swarm mode, the same
 *   networks, no namespaces, links, iptables rules or processes of the script left).
 * Needs root, a Docker engine that is not in swarm mode, and stand-in/nginx:1.22 and
 * stand-in/registry:2 (scripts/build-base-images.sh). `down` always runs in afterAll.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

jest.setTimeout(20 * 60_000);

const SCRIPT = path.join(__dirname, "..", "..", "scripts", "local-swarm.sh");
const NODES = 3;
const IMAGE = "stand-in/nginx:1.22";
const REGISTRY_IMAGE = "stand-in/registry:2";
const id = randomBytes(4).toString("hex");
const NETWORK = `lsw-test-net-${id}`;
const SERVICE = `lsw-test-web-${id}`;
const REGISTRY = `lsw-test-registry-${id}`;
/** The service answers every request with the id of the node its task runs on. */
const NGINX_CONF = "server { listen 80; default_type text/plain; location / { return 200 $hostname; } }";
const SERVE = `echo '${NGINX_CONF}' > /etc/nginx/conf.d/default.conf && exec nginx -g 'daemon off;'`;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(cmd: string, args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === "number" ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
    });
  });
}

async function must(cmd: string, args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  const r = await run(cmd, args, env);
  if (r.code !== 0) throw new Error(`\`${cmd} ${args.join(" ")}\` exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r;
}

const docker = async (...args: string[]): Promise<string> => (await must("docker", args)).stdout.trim();
const lines = (s: string): string[] => s.split("\n").map((l) => l.trim()).filter((l) => l !== "");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let registryPort = 0;
const swarm = (...args: string[]) => run("bash", [SCRIPT, ...args], { LOCAL_SWARM_REGISTRY_PORTS: String(registryPort) });

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${last}` : ""}`);
    await sleep(1000);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

interface Node {
  name: string;
  host: string;
  address: string;
}
let nodes: Node[] = [];
let nodeIds: string[] = [];

interface Task {
  nodeId: string;
  state: string;
  image: string;
  address: string;
}
async function runningTasks(): Promise<Task[]> {
  const ids = lines(await docker("service", "ps", "-q", "--filter", "desired-state=running", SERVICE));
  if (ids.length === 0) return [];
  const format =
    `{{.NodeID}} {{.Status.State}} {{.Spec.ContainerSpec.Image}} ` +
    `{{range .NetworksAttachments}}{{if eq .Network.Spec.Name "${NETWORK}"}}{{range .Addresses}}{{.}}{{end}}{{end}}{{end}}`;
  return lines(await docker("inspect", "--format", format, ...ids)).map((l) => {
    const [nodeId, state, image, address] = l.split(" ");
    return { nodeId, state, image, address: (address ?? "").replace(/\/\d+$/, "") };
  });
}
/** The service's tasks once `replicas` of them run, one on every node, all from `image`. */
const spreadTasks = (image: string) =>
  waitFor(`${NODES} running tasks of ${SERVICE} (${image}) on ${NODES} distinct nodes`, 5 * 60_000, async () => {
    const tasks = (await runningTasks()).filter((t) => t.state === "running" && t.image === image);
    return tasks.length === NODES && new Set(tasks.map((t) => t.nodeId)).size === NODES ? tasks : undefined;
  });

/** From a throwaway container on the overlay network: the service name's addresses, and each one's reply. */
async function probeFromOverlay(): Promise<{ addresses: string[]; replies: Record<string, string> }> {
  const script = `getent hosts ${SERVICE} | while read -r ip _; do echo "$ip $(curl -fsS -m 10 http://$ip/ || echo FAILED)"; done`;
  const out = await docker("run", "--rm", "--network", NETWORK, "--entrypoint", "sh", IMAGE, "-c", script);
  const replies: Record<string, string> = {};
  for (const l of lines(out)) {
    const [ip, reply] = l.split(/\s+/);
    replies[ip] = reply;
  }
  return { addresses: Object.keys(replies).sort(), replies };
}

interface HostSnapshot {
  swarm: string;
  networks: string[];
  netns: string[];
  links: string[];
  iptables: string[];
}
async function hostSnapshot(): Promise<HostSnapshot> {
  const ipt = await run("iptables-save", []);
  return {
    swarm: await docker("info", "--format", "{{.Swarm.LocalNodeState}}"),
    networks: lines(await docker("network", "ls", "--no-trunc", "--format", "{{.ID}} {{.Name}} {{.Driver}} {{.Scope}}")).sort(),
    netns: lines((await must("ip", ["netns", "list"])).stdout).map((l) => l.split(" ")[0]).sort(),
    links: lines((await must("ip", ["-o", "link", "show"])).stdout).map((l) => l.split(": ")[1].split("@")[0]).sort(),
    iptables: lines(ipt.stdout).filter((l) => !l.startsWith("#")).map((l) => l.replace(/\[\d+:\d+\]/, "")),
  };
}
const ours = (s: string) => /lswarm|local-swarm|172\.16\.213\./.test(s);

let before: HostSnapshot;
let upMs = 0;
let downMs = 0;
let cleanedUp = false;

beforeAll(async () => {
  for (const image of [IMAGE, REGISTRY_IMAGE]) {
    const r = await run("docker", ["image", "inspect", image]);
    if (r.code !== 0) throw new Error(`${image} is missing: run scripts/build-base-images.sh first`);
  }
  before = await hostSnapshot();
  if (before.swarm !== "inactive") throw new Error(`the host engine is in swarm state "${before.swarm}": this test needs an engine outside swarm mode`);
  registryPort = await freePort();

  const up = await swarm("up", String(NODES));
  upMs = up.ms;
  if (up.code !== 0) throw new Error(`local-swarm.sh up ${NODES} failed (exit ${up.code}):\n${up.stderr}\n${up.stdout}`);
  console.log(`local-swarm.sh up ${NODES}: ${(upMs / 1000).toFixed(1)} s\n${up.stdout}`);
  nodes = lines((await swarm("nodes")).stdout).map((l) => {
    const [name, host, address] = l.split(" ");
    return { name, host, address };
  });
});

afterAll(async () => {
  // Whatever happened above: the registry container (host engine) goes, then the cluster.
  await run("docker", ["rm", "-f", "-v", REGISTRY]);
  await run("docker", ["image", "rm", `127.0.0.1:${registryPort}/lsw-test/nginx:${id}`]);
  if (!cleanedUp) {
    await run("docker", ["service", "rm", SERVICE]);
    await run("docker", ["network", "rm", NETWORK]);
  }
  const down = await swarm("down");
  if (down.code !== 0) console.error(`local-swarm.sh down (afterAll) failed (exit ${down.code}):\n${down.stderr}`);
  console.log(`local-swarm.sh: up ${(upMs / 1000).toFixed(1)} s, down ${(downMs / 1000).toFixed(1)} s`);
});

test("status shows 3 ready nodes, told apart by node id and label", async () => {
  const status = await swarm("status");
  expect(status.code).toBe(0);
  const rows = lines(status.stdout).filter((l) => /^lswarm\d+\s/.test(l)).map((l) => l.split(/\s+/));
  expect(rows.map((r) => r[3])).toEqual(Array(NODES).fill("ready"));
  expect(status.stdout).toContain(`ready: ${NODES}/${NODES}`);

  const listed = lines(await docker("node", "ls", "--format", "{{.ID}} {{.Status}} {{.Hostname}}"));
  expect(listed).toHaveLength(NODES);
  expect(listed.every((l) => l.split(" ")[1] === "Ready")).toBe(true);
  nodeIds = listed.map((l) => l.split(" ")[0]).sort();
  expect(rows.map((r) => r[1]).sort()).toEqual(nodeIds);
  // The nodes share the host name; the label (and the id) tell them apart.
  const labels = await Promise.all(nodeIds.map((n) => docker("node", "inspect", "--format", '{{index .Spec.Labels "php-backend.node"}}', n)));
  expect(labels.sort()).toEqual(nodes.map((n) => n.name).sort());
  expect(nodes).toHaveLength(NODES);
});

test("load-images copies a stand-in image into every worker", async () => {
  const load = await swarm("load-images", IMAGE);
  if (load.code !== 0) throw new Error(`load-images failed:\n${load.stderr}`);
  const hostId = await docker("image", "inspect", "--format", "{{.Id}}", IMAGE);
  for (const n of nodes) {
    expect(await docker("-H", n.host, "image", "inspect", "--format", "{{.Id}}", IMAGE)).toBe(hostId);
  }
});

test("a dnsrr service spreads over all 3 nodes, and every task answers over the overlay network", async () => {
  await docker("network", "create", "--driver", "overlay", "--attachable", NETWORK);
  await docker(
    "service", "create", "--detach", "--name", SERVICE, "--network", NETWORK,
    "--endpoint-mode", "dnsrr", "--replicas", String(NODES), "--placement-pref", "spread=node.id",
    "--hostname", "{{.Node.ID}}", "--no-resolve-image", "--entrypoint", "sh", IMAGE, "-c", SERVE,
  );
  const tasks = await spreadTasks(IMAGE);
  expect(tasks.map((t) => t.nodeId).sort()).toEqual(nodeIds);

  const { addresses, replies } = await waitFor("3 addresses for the service name, each answering", 60_000, async () => {
    const p = await probeFromOverlay();
    return p.addresses.length === NODES && Object.values(p.replies).every((r) => r !== "FAILED") ? p : undefined;
  });
  expect(addresses).toEqual(tasks.map((t) => t.address).sort());
  // Each address answers with the id of the node its task runs on: all three nodes serve.
  for (const t of tasks) expect(replies[t.address]).toBe(t.nodeId);
});

test("every node pulls from the host's 127.0.0.1-only registry by the same digest reference", async () => {
  await docker("run", "-d", "--name", REGISTRY, "-p", `127.0.0.1:${registryPort}:5000`, REGISTRY_IMAGE);
  await waitFor("the registry", 60_000, async () => ((await run("curl", ["-fsS", `http://127.0.0.1:${registryPort}/v2/`])).code === 0 ? true : undefined));
  const tag = `127.0.0.1:${registryPort}/lsw-test/nginx:${id}`;
  await docker("tag", IMAGE, tag);
  await docker("push", tag);
  const digestRef = await docker("image", "inspect", "--format", "{{index .RepoDigests 0}}", tag);
  expect(digestRef).toMatch(new RegExp(`^127\\.0\\.0\\.1:${registryPort}/lsw-test/nginx@sha256:[0-9a-f]{64}$`));

  // An image change is an in-place service update: each node's task pulls the digest reference.
  await docker("service", "update", "--detach", "--image", digestRef, SERVICE);
  const tasks = await spreadTasks(digestRef);
  expect(tasks.map((t) => t.nodeId).sort()).toEqual(nodeIds);
  for (const n of nodes) {
    // A loaded image has no repo digest: this one can only have come from the registry.
    expect(await docker("-H", n.host, "image", "inspect", "--format", "{{.Id}}", digestRef)).toMatch(/^sha256:/);
  }
  const { replies } = await waitFor("every updated task answering", 60_000, async () => {
    const p = await probeFromOverlay();
    return p.addresses.length === NODES && Object.values(p.replies).every((r) => r !== "FAILED") ? p : undefined;
  });
  expect(Object.values(replies).sort()).toEqual(nodeIds);
});

test("service and network are removed, then down leaves the host engine as it was", async () => {
  await docker("service", "rm", SERVICE);
  await waitFor("the service's containers to go on every node", 2 * 60_000, async () => {
    for (const n of nodes) {
      const left = await docker("-H", n.host, "ps", "-aq", "--filter", `label=com.docker.swarm.service.name=${SERVICE}`);
      if (left !== "") return undefined;
    }
    return true;
  });
  await waitFor(`network ${NETWORK} removed`, 60_000, async () => ((await run("docker", ["network", "rm", NETWORK])).code === 0 ? true : undefined));
  cleanedUp = true;
  await docker("rm", "-f", "-v", REGISTRY);

  const down = await swarm("down");
  downMs = down.ms;
  if (down.code !== 0) throw new Error(`local-swarm.sh down failed (exit ${down.code}):\n${down.stderr}`);
  console.log(`local-swarm.sh down: ${(downMs / 1000).toFixed(1)} s\n${down.stderr}`);

  const after = await hostSnapshot();
  expect(after.swarm).toBe("inactive");
  expect(after.networks).toEqual(before.networks);
  expect(after.netns.filter(ours)).toEqual([]);
  expect(after.netns).toEqual(before.netns);
  expect(after.links.filter((l) => ours(l) || l === "docker_gwbridge")).toEqual(before.links.filter((l) => ours(l) || l === "docker_gwbridge"));
  const suspicious = (l: string) => ours(l) || /docker_gwbridge|DOCKER-INGRESS/.test(l);
  expect(after.iptables.filter(suspicious)).toEqual(before.iptables.filter(suspicious));
  // No dockerd, containerd or shim of a worker is left, nor its files.
  const procs = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return /\/run\/lswarm\d|\/var\/lib\/lswarm\d/.test(fs.readFileSync(`/proc/${p}/cmdline`, "utf8"));
    } catch {
      return false;
    }
  });
  expect(procs).toEqual([]);
  expect(fs.readdirSync("/var/lib").filter((d) => /^lswarm\d/.test(d))).toEqual([]);
  expect(fs.readdirSync("/run").filter((d) => /^lswarm\d|^local-swarm$/.test(d))).toEqual([]);
  expect((await swarm("status")).code).not.toBe(0);
});
