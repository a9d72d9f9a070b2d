/**
 * The nodes of the local swarm (scripts/local-swarm.sh `nodes`: "<name> <docker host> <address>"
 * per node, the manager first), for the teardown: a service's tasks run, and create their volumes,
 * on every node, and only the node's own engine sees those.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { engine, EngineError, filters } from "./dockerApi";

export interface SwarmNode {
  name: string;
  /** Path of the node's engine socket. */
  socket: string;
  address: string;
  /** The engine the mocks talk to (DOCKER_HOST), i.e. the manager. */
  local: boolean;
}

const SCRIPT = join(__dirname, "..", "..", "scripts", "local-swarm.sh");
const localSocket = () => (process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(/^unix:\/\//, "");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every node of the local swarm, or just the local engine when it is not up. */
export function swarmNodes(): Promise<SwarmNode[]> {
  return new Promise((resolve) => {
    execFile("bash", [SCRIPT, "nodes"], (err, stdout) => {
      const local = { name: "local", socket: localSocket(), address: "", local: true };
      if (err) return resolve([local]);
      const nodes = stdout
        .trim()
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => {
          const [name, host, address] = l.trim().split(/\s+/);
          const socket = host.replace(/^unix:\/\//, "");
          return { name, socket, address, local: socket === localSocket() };
        });
      resolve(nodes.some((n) => n.local) ? nodes : [local, ...nodes]);
    });
  });
}

/** Whether the local engine manages a swarm (services, secrets and configs can be listed). */
export async function isSwarmManager(): Promise<boolean> {
  const info = await engine<{ Swarm?: { ControlAvailable?: boolean } }>("GET", "/info");
  return Boolean(info.Swarm?.ControlAvailable);
}

/** Waits until no node runs a container of these (removed) services. */
export async function waitForTaskContainers(serviceIds: readonly string[], timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const nodes = await swarmNodes();
  for (;;) {
    const left: string[] = [];
    for (const node of nodes) {
      for (const id of serviceIds) {
        const f = filters({ label: [`com.docker.swarm.service.id=${id}`] });
        const cs = await engine<{ Names: string[] }[]>("GET", `/containers/json?all=true&filters=${f}`, undefined, { socket: node.socket }).catch(() => []);
        left.push(...cs.map((c) => `${c.Names.join(",")} on ${node.name}`));
      }
    }
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`task containers still there after ${timeoutMs / 1000}s: ${left.join("; ")}`);
    await sleep(500);
  }
}

/** Runs a removal again while the engine says the object is still in use; gone (404) is done. */
export async function removeWhenFree(remove: () => Promise<unknown>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await remove();
      return;
    } catch (e) {
      if (e instanceof EngineError && e.status === 404) return;
      if (!/in use|active endpoints/i.test((e as Error).message) || Date.now() > deadline) throw e;
    }
    await sleep(500);
  }
}
