/**
 * What the engine keeps between two `pulumi up` runs, and the part of an update the Mocks
 * interface does not cover: a resource whose inputs did not change is kept as it is; one whose
 * inputs changed is replaced (created first, the old one deleted at the end of the update, or
 * deleted first when the program asked for `deleteBeforeReplace`); one no longer declared is
 * deleted. Deletes run newest first, so dependents go before what they depend on.
 */
import { docker } from "./dockerCli";

export interface Deployed {
  readonly type: string;
  readonly name: string;
  /** Inputs as the monitor received them (secret wrappers included), serialized for diffing. */
  readonly rawInputs: string;
  /** Plain inputs: what a delete needs (e.g. `destroyGraceSeconds`). */
  readonly inputs: any;
  readonly id: string;
  readonly state: Record<string, unknown>;
  readonly seq: number;
}

export const resourceKey = (type: string, name: string) => `${type}::${name}`;

export class StackState {
  private current = new Map<string, Deployed>();
  private previous = new Map<string, Deployed>();
  private replaced: Deployed[] = [];
  private readonly deleteFirst = new Set<string>();
  private seq = 0;

  /** Mocks.newResource does not receive resource options: read deleteBeforeReplace off the request. */
  watch(monitor: any): void {
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: unknown) => {
      if (req.getDeletebeforereplace()) this.deleteFirst.add(resourceKey(req.getType(), req.getName()));
      return register(req, callback);
    };
  }

  /** The next run is an update of everything deployed so far. */
  beginUpdate(): void {
    this.previous = this.current;
    this.current = new Map();
    this.replaced = [];
  }

  /**
   * Called before a resource is created: returns the deployed resource when its inputs are
   * unchanged (nothing to do), else schedules or performs the old one's deletion.
   */
  async before(type: string, name: string, rawInputs: unknown): Promise<Deployed | undefined> {
    const key = resourceKey(type, name);
    const prior = this.previous.get(key);
    if (!prior) return undefined;
    if (prior.rawInputs === JSON.stringify(rawInputs)) {
      this.current.set(key, prior);
      return prior;
    }
    if (this.deleteFirst.has(key)) await destroy(prior);
    else this.replaced.push(prior);
    return undefined;
  }

  record(d: Omit<Deployed, "seq" | "rawInputs"> & { rawInputs: unknown }): void {
    this.current.set(resourceKey(d.type, d.name), { ...d, rawInputs: JSON.stringify(d.rawInputs), seq: this.seq++ });
  }

  /** Ends the update: deletes replaced and no longer declared resources; returns what went. */
  async finishUpdate(): Promise<string[]> {
    const removed = [...this.previous.entries()].filter(([key]) => !this.current.has(key)).map(([, d]) => d);
    const gone = [...this.replaced, ...removed].sort((a, b) => b.seq - a.seq);
    for (const d of gone) await destroy(d);
    this.replaced = [];
    this.previous = new Map();
    return gone.map((d) => `${d.type} ${d.name}`);
  }
}

/** Deletes a resource the way its provider does. */
async function destroy(d: Deployed): Promise<void> {
  switch (d.type) {
    case "docker:index/container:Container": {
      // The provider stops the container (with its stop signal) for destroyGraceSeconds, then
      // removes it; without a grace period it removes it by force.
      const grace = d.inputs.destroyGraceSeconds;
      if (grace) await docker(["stop", "-t", String(grace), d.id]);
      await docker(["rm", "-f", ...(d.inputs.removeVolumes === false ? [] : ["-v"]), d.id]);
      return;
    }
    case "docker:index/network:Network":
      return void (await docker(["network", "rm", d.id]));
    case "docker:index/volume:Volume":
      return void (await docker(["volume", "rm", d.id]));
    // Images stay in the registry and, with keepLocally, on the engine; random values and
    // providers have nothing on the engine.
    default:
      return;
  }
}
