/**
 * Everything the engine mocks create, so a test can remove it all again: from the ledger
 * (`teardown`) and, after a crash, by the run label every container/network/volume carries
 * (`sweepRun`).
 */
import { rmSync } from "node:fs";
import { engine, EngineError, filters } from "./dockerApi";

/** Label put on every container, network and volume the mocks create. */
export const RUN_LABEL = "e2e.run";

export type LedgerKind = "container" | "network" | "volume" | "image" | "dir";

export interface LedgerEntry {
  kind: LedgerKind;
  /** Container/network id, volume name, image reference or directory path. */
  ref: string;
}

/** Removal order: dependents first. */
const ORDER: LedgerKind[] = ["container", "network", "volume", "image", "dir"];

async function remove(e: LedgerEntry): Promise<void> {
  try {
    switch (e.kind) {
      case "container":
        return void (await engine("DELETE", `/containers/${e.ref}?force=true&v=true`));
      case "network":
        return void (await engine("DELETE", `/networks/${e.ref}`));
      case "volume":
        return void (await engine("DELETE", `/volumes/${encodeURIComponent(e.ref)}?force=true`));
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
    }
    if (errors.length > 0) throw new Error(`engine mocks teardown: ${errors.length} failure(s):\n${errors.join("\n")}`);
  }
}

/** Removes every container, network and volume labelled `e2e.run=<runId>` (after a crash, too). */
export async function sweepRun(runId: string): Promise<void> {
  const f = filters({ label: [`${RUN_LABEL}=${runId}`] });
  const entries: LedgerEntry[] = [];
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
}

/** What is still labelled with the run (for assertions after teardown). */
export async function leftovers(runId: string): Promise<string[]> {
  const f = filters({ label: [`${RUN_LABEL}=${runId}`] });
  const containers = await engine<{ Names: string[] }[]>("GET", `/containers/json?all=true&filters=${f}`);
  const networks = await engine<{ Name: string }[]>("GET", `/networks?filters=${f}`);
  const volumes = (await engine<{ Volumes: { Name: string }[] | null }>("GET", `/volumes?filters=${f}`)).Volumes ?? [];
  return [
    ...containers.map((c) => `container ${c.Names.join(",")}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...volumes.map((v) => `volume ${v.Name}`),
  ];
}
