/**
 * Everything the engine mocks create, so a test can remove it all again: from the ledger
 * (`teardown`) and, after a crash, by the run label every container/network/volume carries
 * (`sweepRun`). On a swarm manager also services, secrets and configs, and on every node of the
 * local swarm (swarmNodes.ts) the task containers and the volumes tasks created.
 */
import { rmSync } from "node:fs";
import { engine, EngineError, filters } from "./dockerApi";
import { isSwarmManager, removeWhenFree, swarmNodes, waitForTaskContainers } from "./swarmNodes";

/** Label put on every container, network and volume the mocks create. */
export const RUN_LABEL = "e2e.run";

export type LedgerKind = "service" | "container" | "secret" | "config" | "network" | "volume" | "image" | "dir";

export interface LedgerEntry {
  kind: LedgerKind;
  /** Container/network id, volume name, image reference or directory path. */
  ref: string;
}

/** Removal order: dependents first. */
const ORDER: LedgerKind[] = ["service", "container", "secret", "config", "network", "volume", "image", "dir"];

async function remove(e: LedgerEntry): Promise<void> {
  try {
    switch (e.kind) {
      case "service":
        return void (await engine("DELETE", `/services/${e.ref}`));
      case "secret":
      case "config":
        return void (await engine("DELETE", `/${e.kind}s/${e.ref}`));
      case "container":
        return void (await engine("DELETE", `/containers/${e.ref}?force=true&v=true`));
      case "network": // an overlay network stays "in use" until its tasks are gone
        return void (await removeWhenFree(() => engine("DELETE", `/networks/${e.ref}`)));
      case "volume":
        return void (await removeWhenFree(() => engine("DELETE", `/volumes/${encodeURIComponent(e.ref)}?force=true`)));
      case "image":
        // Removes this tag (and the image only if nothing else references it).
        return void (await engine("DELETE", `/images/${encodeURIComponent(e.ref)}?noprune=false`));
      case "dir":
        return rmSync(e.ref, { recursive: true, force: true });
    }
  } catch (err) {
    if (err instanceof EngineError && err.status === 404) return; // already gone
    throw err;
  }
}

export class Ledger {
  private entries: LedgerEntry[] = [];

  add(kind: LedgerKind, ref: string): void {
    this.entries.push({ kind, ref });
  }

  list(): readonly LedgerEntry[] {
    return this.entries;
  }

  /**
   * Removes everything recorded, newest first within each kind, containers before networks
   * before volumes before images. Never stops half way: errors are collected and thrown
   * together at the end. Safe to call again (entries are forgotten once handled).
   */
  async teardown(): Promise<void> {
    const pending = this.entries.slice().reverse();
    this.entries = [];
    const errors: string[] = [];
    for (const kind of ORDER) {
      for (const e of pending.filter((p) => p.kind === kind)) {
        await remove(e).catch((err: Error) => errors.push(`${e.kind} ${e.ref}: ${err.message}`));
      }
      // A removed service's tasks stop on their nodes in their own time.
      const services = pending.filter((p) => p.kind === "service").map((p) => p.ref);
      if (kind === "service" && services.length > 0) await waitForTaskContainers(services).catch((err: Error) => errors.push(err.message));
    }
    if (errors.length > 0) throw new Error(`engine mocks teardown: ${errors.length} failure(s):\n${errors.join("\n")}`);
  }
}

/**
 * Removes everything labelled `e2e.run=<runId>` (after a crash, too): services, secrets and
 * configs on a swarm manager, containers, networks and volumes here, then the task containers
 * and volumes on every other node of the local swarm.
 */
export async function sweepRun(runId: string): Promise<void> {
  const f = filters({ label: [`${RUN_LABEL}=${runId}`] });
  const entries: LedgerEntry[] = [];
  if (await isSwarmManager()) {
    for (const kind of ["service", "secret", "config"] as const) {
      for (const o of await engine<{ ID: string }[]>("GET", `/${kind}s?filters=${f}`)) entries.push({ kind, ref: o.ID });
    }
  }
  for (const c of await engine<{ Id: string }[]>("GET", `/containers/json?all=true&filters=${f}`)) {
    entries.push({ kind: "container", ref: c.Id });
  }
  for (const n of await engine<{ Id: string }[]>("GET", `/networks?filters=${f}`)) {
    entries.push({ kind: "network", ref: n.Id });
  }
  const volumes = await engine<{ Volumes: { Name: string }[] | null }>("GET", `/volumes?filters=${f}`);
  for (const v of volumes.Volumes ?? []) entries.push({ kind: "volume", ref: v.Name });
  const ledger = new Ledger();
  entries.forEach((e) => ledger.add(e.kind, e.ref));
  await ledger.teardown();
  const errors: string[] = [];
  for (const node of (await swarmNodes()).filter((n) => !n.local)) {
    const at = { socket: node.socket };
    for (const c of await engine<{ Id: string }[]>("GET", `/containers/json?all=true&filters=${f}`, undefined, at)) {
      await engine("DELETE", `/containers/${c.Id}?force=true&v=true`, undefined, at).catch((e: Error) => errors.push(`${node.name}: ${e.message}`));
    }
    const vs = await engine<{ Volumes: { Name: string }[] | null }>("GET", `/volumes?filters=${f}`, undefined, at);
    for (const v of vs.Volumes ?? []) {
      await removeWhenFree(() => engine("DELETE", `/volumes/${encodeURIComponent(v.Name)}?force=true`, undefined, at)).catch((e: Error) =>
        errors.push(`${node.name} volume ${v.Name}: ${e.message}`),
      );
    }
  }
  if (errors.length > 0) throw new Error(`engine mocks sweep: ${errors.join("\n")}`);
}

/** What is still labelled with the run (for assertions after teardown), on every node. */
export async function leftovers(runId: string): Promise<string[]> {
  const f = filters({ label: [`${RUN_LABEL}=${runId}`] });
  const out: string[] = [];
  if (await isSwarmManager()) {
    for (const kind of ["service", "secret", "config"] as const) {
      for (const o of await engine<{ Spec: { Name: string } }[]>("GET", `/${kind}s?filters=${f}`)) out.push(`${kind} ${o.Spec.Name}`);
    }
  }
  const networks = await engine<{ Name: string }[]>("GET", `/networks?filters=${f}`);
  out.push(...networks.map((n) => `network ${n.Name}`));
  for (const node of await swarmNodes()) {
    const at = { socket: node.socket };
    const where = node.local ? "" : ` on ${node.name}`;
    const containers = await engine<{ Names: string[] }[]>("GET", `/containers/json?all=true&filters=${f}`, undefined, at);
    const volumes = (await engine<{ Volumes: { Name: string }[] | null }>("GET", `/volumes?filters=${f}`, undefined, at)).Volumes ?? [];
    out.push(...containers.map((c) => `container ${c.Names.join(",")}${where}`), ...volumes.map((v) => `volume ${v.Name}${where}`));
  }
  return out;
}
