/**
 * The local multi-node swarm of scripts/local-swarm.sh, for the swarm target's end-to-end
 * tests and benchmarks: up, down, its nodes, and what a test does to a node (drain it, cut it
 * off the network as a lost host would be).
 */
import { execFile } from "child_process";
import * as path from "path";
import { docker } from "../engine/dockerCli";
import { ROOT } from "../program";

const SCRIPT = path.join(ROOT, "scripts", "local-swarm.sh");

export interface SwarmNode {
  /** lswarm0 (the manager, this machine's engine), lswarm1, ... = its php-backend.node label. */
  readonly name: string;
  /** Its engine's socket. */
  readonly host: string;
  /** Its address on the swarm's private bridge. */
  readonly address: string;
}

function script(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("bash", [SCRIPT, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`local-swarm.sh ${args.join(" ")} failed:\n${stderr}\n${stdout}`));
      else resolve(String(stdout));
    });
  });
}

export class LocalSwarm {
  nodes: SwarmNode[] = [];

  /** `registryPort`: the stack's local registry port, forwarded to every node. */
  constructor(private readonly registryPort: number, private readonly size = 3) {}

  private get env() {
    return { LOCAL_SWARM_REGISTRY_PORTS: String(this.registryPort) };
  }

  async up(images: readonly string[]): Promise<void> {
    await script(["up", String(this.size)], this.env);
    this.nodes = (await script(["nodes"], this.env)).trim().split("\n").map((line) => {
      const [name, host, address] = line.split(" ");
      return { name, host, address };
    });
    if (images.length > 0) await script(["load-images", ...images], this.env);
  }

  async down(): Promise<void> {
    await script(["down"], this.env);
  }

  node(name: string): SwarmNode {
    const found = this.nodes.find((n) => n.name === name);
    if (!found) throw new Error(`no swarm node ${name}`);
    return found;
  }

  /** Swarm node id -> node name (by the php-backend.node label). */
  async nodeNames(): Promise<Map<string, string>> {
    const ids = (await docker(["node", "ls", "-q"])).split("\n").filter(Boolean);
    const out = await docker(["node", "inspect", "--format", '{{.ID}} {{index .Spec.Labels "php-backend.node"}}', ...ids]);
    return new Map(out.trim().split("\n").map((l) => l.split(" ") as [string, string]));
  }

  /** The swarm node id of the node `name`. */
  async nodeId(name: string): Promise<string> {
    const found = [...(await this.nodeNames())].find(([, n]) => n === name);
    if (!found) throw new Error(`no swarm node labelled ${name}`);
    return found[0];
  }

  async setAvailability(name: string, availability: "active" | "drain"): Promise<void> {
    await docker(["node", "update", "--availability", availability, await this.nodeId(name)]);
  }

  /**
   * The node is gone as far as every other node can tell, at once (a host that lost power or its
   * network): its link to the swarm's bridge goes down. `down` still removes it.
   */
  cutOff(name: string): Promise<void> {
    return this.link(name, "down");
  }

  /** The node's link comes back; its engine rejoins on its own. */
  reconnect(name: string): Promise<void> {
    return this.link(name, "up");
  }

  private link(name: string, state: "up" | "down"): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      execFile("ip", ["link", "set", `${name}h`, state], (err) => (err ? reject(err) : resolve())));
  }

  /** The manager's view of a node: ready, down, unknown. */
  async nodeState(name: string): Promise<string> {
    return docker(["node", "inspect", "--format", "{{.Status.State}}", await this.nodeId(name)]);
  }
}
