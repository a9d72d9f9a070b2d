/**
 * docker_service's diff: terraform-provider-docker v4.5.0 internal/provider/resource_docker_service.go,
 * resourceDockerService().Schema, under pulumi-docker's names (MaxItems-1 blocks are objects,
 * `command` is `commands`, `test` `tests`, `search` `searches`, `networks_advanced` `networksAdvanceds`,
 * `cap_add` `capAdds`, `*_resources_spec` `*ResourcesSpecs`), compared the way terraform-plugin-sdk
 * v2.40.1 helper/schema/schema.go compares (schemaMap.diff and diffString, diffList, diffSet,
 * diffMap, finalizeDiff):
 * - a field replaces only if it, or a collection counting its elements, is ForceNew: ForceNew on a
 *   block (`mode`, TypeList of a Resource) marks only its count `mode.#` (diffList: countSchema
 *   ForceNew), so a change inside it (`mode.replicated.replicas`) updates in place; ForceNew on a
 *   nested field (networks_advanced id/name/aliases/driver_opts, hosts, labels of labelSchema)
 *   replaces. pulumi-terraform-bridge takes that decision as is (pkg/tfbridge/provider.go Diff:
 *   `replaceDecision := diff.RequiresNew()` overrides its detailed diff) and its cross-tests say
 *   the same (pkg/internal/tests/cross-tests/diff_cross_test.go, TestBlockCollectionForceNew:
 *   "changed non-empty" is an update; TestBlockCollectionElementForceNew: a replacement).
 * - a set element that changed is a removed and an added one (diffSet, hash codes), so any
 *   ForceNew field it holds replaces; sets and maps compare without order.
 * - left out: a Computed field keeps the state's value; a field with a Default is planned at it
 *   (the config reader applies Defaults); any other field is planned empty. Zero and absent
 *   values are the same, as in the rest of providerSchema.ts.
 * - an unknown value is a change (a whole unknown block: only its count, ForceNew of the block).
 * - update_config/rollback_config max_failure_ratio: DiffSuppressFunc suppressEquivalentFloatRatio
 *   (validators.go): "0" and "0.0" are the same.
 */
import { isUnknown } from "./providerSchema";

interface Base {
  readonly forceNew?: boolean;
  readonly computed?: boolean;
}
export type Node =
  | (Base & { kind: "leaf"; default?: unknown; floatRatio?: boolean })
  | (Base & { kind: "list" | "set" | "map" })
  | (Base & { kind: "block" | "blocks" | "blockSet"; fields: Fields });
export type Fields = Readonly<Record<string, Node>>;

const leaf = (o: { forceNew?: boolean; computed?: boolean; default?: unknown; floatRatio?: boolean } = {}): Node => ({ kind: "leaf", ...o });
const coll = (kind: "list" | "set" | "map", o: Base = {}): Node => ({ kind, ...o });
const nest = (kind: "block" | "blocks" | "blockSet", fields: Fields, o: Base = {}): Node => ({ kind, fields, ...o });
const FN = { forceNew: true };
const C = { computed: true };

/** helpers.go newLabelSchema(forceNew): labelSchema (ForceNew) and labelSchemaUpdatable. */
const labels = (forceNew: boolean) => nest("blockSet", { label: leaf({ forceNew }), value: leaf({ forceNew }) });
/** update_config and rollback_config. */
const rollout = () =>
  nest("block", {
    parallelism: leaf({ default: 1 }),
    delay: leaf({ default: "0s" }),
    failureAction: leaf({ default: "pause" }),
    monitor: leaf({ default: "5s" }),
    maxFailureRatio: leaf({ default: "0.0", floatRatio: true }),
    order: leaf({ default: "stop-first" }),
  });
/** secrets and configs of the container spec. */
const fileRef = (id: string, name: string) =>
  nest("blockSet", { [id]: leaf(), [name]: leaf(), fileName: leaf(), fileUid: leaf({ default: "0" }), fileGid: leaf({ default: "0" }), fileMode: leaf({ default: 0o444 }) });

const CONTAINER_SPEC: Fields = {
  image: leaf(),
  labels: labels(true),
  commands: coll("list"),
  args: coll("list"),
  hostname: leaf(),
  env: coll("map"),
  dir: leaf(),
  user: leaf(),
  groups: coll("list"),
  privileges: nest("block", {
    credentialSpec: nest("block", { file: leaf(), registry: leaf() }),
    seLinuxContext: nest("block", { disable: leaf(), user: leaf(), role: leaf(), type: leaf(), level: leaf() }),
  }),
  readOnly: leaf(),
  mounts: nest("blockSet", {
    target: leaf(),
    source: leaf(),
    type: leaf(),
    readOnly: leaf(),
    bindOptions: nest("block", { propagation: leaf({ default: "rprivate" }) }),
    volumeOptions: nest("block", { noCopy: leaf(), labels: labels(true), driverName: leaf(), driverOptions: coll("map") }),
    tmpfsOptions: nest("block", { sizeBytes: leaf(), mode: leaf() }),
  }),
  stopSignal: leaf(),
  stopGracePeriod: leaf(C),
  healthcheck: nest(
    "block",
    { tests: coll("list"), interval: leaf({ default: "0s" }), timeout: leaf({ default: "0s" }), startPeriod: leaf({ default: "0s" }), retries: leaf({ default: 0 }) },
    C,
  ),
  hosts: nest("blockSet", { ip: leaf(FN), host: leaf(FN) }, FN),
  dnsConfig: nest("block", { nameservers: coll("list"), searches: coll("list"), options: coll("list") }, C),
  secrets: fileRef("secretId", "secretName"),
  configs: fileRef("configId", "configName"),
  isolation: leaf({ default: "default" }),
  sysctl: coll("map", FN),
  capAdds: coll("list"),
  capDrops: coll("list"),
  init: leaf(C),
};

/** resourceDockerService().Schema. */
export const SERVICE_SCHEMA: Fields = {
  auth: nest("block", { serverAddress: leaf(FN), username: leaf({ ...FN, default: "" }), password: leaf({ ...FN, default: "" }) }, FN),
  name: leaf(FN),
  labels: { ...labels(false), computed: true },
  taskSpec: nest("block", {
    containerSpec: nest("block", CONTAINER_SPEC),
    resources: nest(
      "block",
      {
        limits: nest("block", { nanoCpus: leaf(), memoryBytes: leaf() }),
        reservation: nest("block", {
          nanoCpus: leaf(),
          memoryBytes: leaf(),
          genericResources: nest("block", { namedResourcesSpecs: coll("set"), discreteResourcesSpecs: coll("set") }),
        }),
      },
      C,
    ),
    restartPolicy: nest("block", { condition: leaf(), delay: leaf(), maxAttempts: leaf(), window: leaf() }, C),
    placement: nest(
      "block",
      { constraints: coll("set"), prefs: coll("set"), maxReplicas: leaf(), platforms: nest("blockSet", { architecture: leaf(), os: leaf() }) },
      C,
    ),
    forceUpdate: leaf(C),
    runtime: leaf(C),
    networksAdvanceds: nest("blockSet", { name: leaf(FN), id: leaf(FN), aliases: coll("set", FN), driverOpts: coll("set", FN) }),
    logDriver: nest("block", { name: leaf(), options: coll("map") }),
  }),
  mode: nest("block", { replicated: nest("block", { replicas: leaf({ default: 1 }) }, C), global: leaf({ default: false }) }, { ...FN, ...C }),
  updateConfig: rollout(),
  rollbackConfig: rollout(),
  endpointSpec: nest(
    "block",
    {
      mode: leaf(C),
      ports: nest("blocks", {
        name: leaf(),
        protocol: leaf({ default: "tcp" }),
        targetPort: leaf(),
        publishedPort: leaf(C),
        publishMode: leaf({ default: "ingress" }),
      }),
    },
    C,
  ),
  convergeConfig: nest("block", { delay: leaf({ default: "7s" }), timeout: leaf({ default: "3m" }) }),
};

export interface FieldChange {
  path: string;
  replaces: boolean;
}

const absent = (v: unknown) => v === undefined || v === null;
const leafZero = (v: unknown) => absent(v) || v === "" || v === 0 || v === false;
/** mapstructure.WeakDecode to a string, as diffString compares. */
const str = (v: unknown) => (absent(v) ? "" : typeof v === "boolean" ? (v ? "true" : "false") : String(v));
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function leafEqual(n: Node & { kind: "leaf" }, a: unknown, b: unknown): boolean {
  if (leafZero(a) && leafZero(b)) return true;
  if (n.floatRatio && !Number.isNaN(parseFloat(str(a))) && parseFloat(str(a)) === parseFloat(str(b))) return true;
  return str(a) === str(b);
}

/** A set element's identity (schema.HashResource over zero-filled, defaulted fields). */
export function elementKey(fields: Fields, e: unknown): string {
  const o = obj(e);
  return Object.keys(fields)
    .sort()
    .map((k) => `${k}:${valueKey(fields[k], o[k])};`)
    .join("");
}
function valueKey(n: Node, v: unknown): string {
  if (isUnknown(v)) return `<unknown ${Math.random()}>`; // never equal to anything
  switch (n.kind) {
    case "leaf": {
      const d = absent(v) ? n.default : v;
      return leafZero(d) ? "" : str(d);
    }
    case "list":
      return `[${arr(v).map(str).join(",")}]`;
    case "set":
      return `[${arr(v).map(str).sort().join(",")}]`;
    case "map":
      return `{${Object.entries(obj(v)).map(([k, x]) => `${k}=${str(x)}`).sort().join(",")}}`;
    case "block":
      return absent(v) ? "" : `(${elementKey(n.fields, v)})`;
    case "blocks":
      return `[${arr(v).map((e) => elementKey(n.fields, e)).join(",")}]`;
    case "blockSet":
      return `[${arr(v).map((e) => elementKey(n.fields, e)).sort().join(",")}]`;
  }
}

/** Whether a whole element added (or removed) holds a ForceNew value: its attributes' RequiresNew. */
function holdsForceNew(fields: Fields, e: unknown, added: boolean): boolean {
  const o = obj(e);
  return Object.entries(fields).some(([k, n]) => {
    const v = absent(o[k]) && n.kind === "leaf" ? n.default : o[k];
    if (isUnknown(v)) return Boolean(n.forceNew) || n.kind !== "leaf";
    if (n.kind === "leaf") return Boolean(n.forceNew) && (added ? !absent(v) && v !== "" : !leafZero(v));
    if (!("fields" in n)) return Boolean(n.forceNew) && (n.kind === "map" ? Object.keys(obj(v)).length > 0 : arr(v).length > 0);
    const elements = n.kind === "block" ? (absent(v) ? [] : [v]) : arr(v);
    return (Boolean(n.forceNew) && elements.length > 0) || elements.some((x) => holdsForceNew(n.fields, x, added));
  });
}

/** Throws for an input the table does not know, at any depth. */
export function checkKnown(where: string, fields: Fields, v: unknown, path = ""): void {
  if (isUnknown(v) || absent(v)) return;
  for (const [k, x] of Object.entries(obj(v))) {
    const p = path ? `${path}.${k}` : k;
    const n = fields[k];
    if (!n) {
      if (!absent(x)) throw new Error(`${where}: input "${p}" is not in the provider schema table (serviceSchema.ts)`);
      continue;
    }
    if (n.kind === "block") checkKnown(where, n.fields, x, p);
    if (n.kind === "blocks" || n.kind === "blockSet") arr(x).forEach((e, i) => checkKnown(where, n.fields, e, `${p}[${i}]`));
  }
}

/** schemaMap.diff of one field: appends what changed (path, and whether it requires a new resource). */
export function diffNode(path: string, n: Node, old: unknown, neu: unknown, out: FieldChange[]): void {
  const change = (replaces: boolean) => void out.push({ path, replaces });
  if (isUnknown(neu)) return change(Boolean(n.forceNew));
  if (absent(neu) && n.kind === "leaf" && n.default !== undefined) neu = n.default;
  if (absent(neu) && n.computed) return; // diffString/diffList/diffSet/diffMap: Computed, no new value
  switch (n.kind) {
    case "leaf":
      if (!leafEqual(n, old, neu)) change(Boolean(n.forceNew));
      return;
    case "list":
    case "set": {
      const [a, b] = [arr(old).map(str), arr(neu).map(str)];
      if (n.kind === "set") [a, b].forEach((x) => x.sort());
      if (a.join("\u0000") !== b.join("\u0000") || a.length !== b.length) change(Boolean(n.forceNew));
      return;
    }
    case "map": {
      const [a, b] = [obj(old), obj(neu)];
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      if ([...keys].some((k) => !(k in a) || !(k in b) || str(a[k]) !== str(b[k]))) change(Boolean(n.forceNew));
      return;
    }
    case "block":
    case "blocks": {
      const [a, b] = n.kind === "block" ? [absent(old) ? [] : [old], absent(neu) ? [] : [neu]] : [arr(old), arr(neu)];
      if (a.length !== b.length) change(Boolean(n.forceNew)); // the count, `k.#`
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const at = n.kind === "block" ? path : `${path}[${i}]`;
        for (const [k, f] of Object.entries(n.fields)) diffNode(`${at}.${k}`, f, obj(a[i])[k], absent(b[i]) ? undefined : obj(b[i])[k], out);
      }
      return;
    }
    case "blockSet": {
      const keyed = (list: unknown[]) => list.map((e) => ({ e, key: elementKey(n.fields, e) }));
      const [a, b] = [keyed(arr(old)), keyed(arr(neu))];
      const removed = a.filter((x) => !b.some((y) => y.key === x.key));
      const added = b.filter((y) => !a.some((x) => x.key === y.key));
      if (removed.length === 0 && added.length === 0 && a.length === b.length) return;
      const countForces = Boolean(n.forceNew) && a.length !== b.length;
      change(countForces || removed.some((x) => holdsForceNew(n.fields, x.e, false)) || added.some((y) => holdsForceNew(n.fields, y.e, true)));
      return;
    }
  }
}

/** The fields of a resource that changed, from its state to the program's inputs. */
export function diffFields(fields: Fields, state: Record<string, unknown>, inputs: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [k, n] of Object.entries(fields)) diffNode(k, n, state[k], inputs[k], out);
  return out;
}

/**
 * What ResourceData.Get returns while the provider applies the plan: the program's value with
 * Defaults filled in; for a Computed field it left out, the state's value (no diff, so the old one).
 */
export function planned(n: Node, old: unknown, neu: unknown): unknown {
  if (absent(neu)) {
    if (n.kind === "leaf" && n.default !== undefined) return n.default;
    return n.computed ? old : undefined;
  }
  switch (n.kind) {
    case "leaf":
    case "list":
    case "set":
    case "map":
      return neu;
    case "block":
      return plannedFields(n.fields, obj(old), obj(neu));
    case "blocks":
      return arr(neu).map((e, i) => plannedFields(n.fields, obj(arr(old)[i]), obj(e)));
    case "blockSet":
      return arr(neu).map((e) => plannedFields(n.fields, {}, obj(e)));
  }
}
export function plannedFields(fields: Fields, old: Record<string, unknown>, neu: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, n] of Object.entries(fields)) {
    const v = planned(n, old[k], neu[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
