/**
 * The providers' Diff: which input change the provider updates in place and which forces a
 * replacement, and what "changed" means (schema defaults, Computed fields, sets, unknowns).
 *
 * Containers, networks, volumes and remote images follow terraform-provider-docker v4.5.0 (the
 * version pulumi-docker's upstream submodule pins), `internal/provider/resource_docker_*.go`,
 * the `Schema` of each resource: a field with `ForceNew` replaces, any other field updates.
 * The diff is the Terraform SDK's (helper/schema, schemaMap.Diff): a field the program leaves out
 * is no change when it is `Computed`, and a change to its zero value otherwise.
 * docker.Image follows pulumi-docker's own provider (provider/provider.go, Diff).
 */

import { checkKnown, diffFields, SERVICE_SCHEMA } from "./serviceSchema";

/** The engine's unknown value (sdk/go/common/resource/plugin UnknownStringValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** An unknown input: the sentinel, or the mock monitor's deserialized `unknown` object. */
export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN || (typeof v === "object" && v !== null && v.constructor?.name === "Unknown");
}

function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsUnknown);
  return false;
}

export type Change = { op: "same" } | { op: "update"; fields: string[] } | { op: "replace"; fields: string[] };

interface Field {
  /** ForceNew in the schema. */
  readonly replaces: boolean;
  /** Computed: leaving the field out is no change. */
  readonly computed?: boolean;
  /** TypeSet: element order is not a change. */
  readonly set?: boolean;
  /** The schema's Default, applied when the program leaves the field out. */
  readonly default?: unknown;
  /** Defaults of the fields of each element (nested blocks). */
  readonly elementDefaults?: Record<string, unknown>;
  /** TypeMap: compared key by key, an entry with an empty value included (schemaMap.diffMap). */
  readonly map?: boolean;
}

const replaces = (extra: Omit<Field, "replaces"> = {}): Field => ({ replaces: true, ...extra });
const updates = (extra: Omit<Field, "replaces"> = {}): Field => ({ replaces: false, ...extra });

/** resource_docker_container.go, resourceDockerContainer().Schema, under pulumi-docker's names. */
export const CONTAINER_FIELDS: Readonly<Record<string, Field>> = {
  name: replaces(),
  rm: updates({ default: false }),
  readOnly: replaces({ default: false }),
  start: updates({ default: true }),
  wait: updates({ default: false }),
  waitTimeout: updates({ default: 60 }),
  attach: updates({ default: false }),
  logs: updates({ default: false }),
  mustRun: updates({ default: true }),
  image: replaces(),
  hostname: replaces({ computed: true }),
  domainname: replaces(),
  command: replaces({ computed: true }),
  entrypoints: replaces({ computed: true }),
  user: replaces(),
  dns: replaces({ set: true }),
  dnsOpts: replaces({ set: true }),
  dnsSearches: replaces({ set: true }),
  publishAllPorts: replaces(),
  restart: updates({ default: "no" }),
  maxRetryCount: updates(),
  workingDir: replaces(),
  removeVolumes: updates({ default: true }),
  capabilities: replaces(),
  securityOpts: replaces({ computed: true, set: true }),
  runtime: replaces({ computed: true }),
  platform: replaces({ computed: true }),
  stopSignal: replaces({ computed: true }),
  stopTimeout: replaces({ computed: true }),
  mounts: replaces({ set: true }),
  volumes: replaces({ set: true }),
  tmpfs: updates(),
  ports: replaces({ elementDefaults: { ip: "0.0.0.0", protocol: "tcp" } }),
  hosts: replaces({ set: true }),
  ulimits: replaces({ set: true }),
  envs: replaces({ computed: true, set: true }),
  privileged: replaces(),
  devices: replaces({ set: true }),
  destroyGraceSeconds: updates(),
  labels: replaces({ computed: true, set: true }),
  memory: updates(),
  memoryReservation: updates({ default: 0 }),
  memorySwap: updates(),
  shmSize: replaces({ computed: true }),
  cpuShares: updates(),
  cpuSet: updates(),
  logDriver: replaces({ computed: true }),
  logOpts: replaces(),
  networkMode: replaces({ default: "bridge" }),
  networksAdvanced: replaces({ set: true }),
  pidMode: replaces(),
  usernsMode: replaces(),
  uploads: replaces({ set: true }),
  healthcheck: updates({
    computed: true,
    elementDefaults: { interval: "0s", timeout: "0s", startPeriod: "0s", startInterval: "0s", retries: 0 },
  }),
  containerReadRefreshTimeoutMilliseconds: updates({ default: 15000 }),
  sysctls: replaces(),
  ipcMode: replaces({ computed: true }),
  groupAdds: replaces({ set: true }),
  init: updates({ computed: true }),
  tty: replaces({ default: false }),
  stdinOpen: replaces({ default: false }),
  storageOpts: replaces(),
  cpus: replaces(),
  cpuPeriod: updates(),
  cpuQuota: updates(),
  cgroupnsMode: replaces(),
  cgroupParent: replaces(),
};
/** Container fields the provider computes and never takes from the program. */
const CONTAINER_OUTPUTS = ["exitCode", "containerLogs", "bridge", "networkDatas"];

/** resource_docker_network.go: every field is ForceNew; driver, options, internal, ipamConfigs Computed. */
const NETWORK_FIELDS: Readonly<Record<string, Field>> = {
  name: replaces(),
  labels: replaces({ set: true }),
  driver: replaces({ computed: true }),
  options: replaces({ computed: true, map: true }),
  internal: replaces({ computed: true }),
  attachable: replaces(),
  ingress: replaces(),
  ipv6: replaces(),
  ipamDriver: replaces({ default: "default" }),
  ipamOptions: replaces({ map: true }),
  ipamConfigs: replaces({ computed: true, set: true }),
};

/** resource_docker_secret.go: name, data (Sensitive), labels (labelSchema): all ForceNew, no Update. */
const SECRET_FIELDS: Readonly<Record<string, Field>> = { name: replaces(), data: replaces(), labels: replaces({ set: true }) };
/** resource_docker_config.go: name, data, data_raw (ExactlyOneOf), labels: all ForceNew, no Update. */
const CONFIG_FIELDS: Readonly<Record<string, Field>> = { name: replaces(), data: replaces(), dataRaw: replaces(), labels: replaces({ set: true }) };

/** resource_docker_volume.go: name and driver Optional+Computed, all ForceNew (only `cluster` updates). */
const VOLUME_FIELDS: Readonly<Record<string, Field>> = {
  name: replaces({ computed: true }),
  labels: replaces({ set: true }),
  driver: replaces({ computed: true }),
  driverOpts: replaces(),
};

/** resource_docker_image.go (docker_image, pulumi-docker's RemoteImage): name, platform, triggers and pull triggers replace. */
const REMOTE_IMAGE_FIELDS: Readonly<Record<string, Field>> = {
  name: replaces(),
  keepLocally: updates(),
  forceRemove: updates(),
  platform: replaces({ default: "" }),
  triggers: replaces(),
  pullTriggers: replaces({ set: true }),
};

/**
 * terraform-provider-random internal/provider/resource_{password,string,id,bytes}.go: every
 * argument has a RequiresReplace plan modifier. keepers (RequiresReplaceIfValuesNotNull) and
 * override_special (unless "" -> null) have conditions the stand-in does not model: it refuses them.
 */
const RANDOM_TYPES = [
  "random:index/randomPassword:RandomPassword",
  "random:index/randomString:RandomString",
  "random:index/randomBytes:RandomBytes",
  "random:index/randomId:RandomId",
];

const FIELDS_BY_TYPE: Record<string, Readonly<Record<string, Field>>> = {
  "docker:index/container:Container": CONTAINER_FIELDS,
  "docker:index/network:Network": NETWORK_FIELDS,
  "docker:index/volume:Volume": VOLUME_FIELDS,
  "docker:index/remoteImage:RemoteImage": REMOTE_IMAGE_FIELDS,
  "docker:index/secret:Secret": SECRET_FIELDS,
  "docker:index/serviceConfig:ServiceConfig": CONFIG_FIELDS,
};

/** Outputs a create or replacement leaves unknown in a preview. */
export const COMPUTED_OUTPUTS: Record<string, readonly string[]> = {
  "docker:index/container:Container": [...CONTAINER_OUTPUTS, "name"],
  "docker:index/network:Network": ["name", "driver", "scope", "internal", "ipamDriver", "ipamConfigs"],
  "docker:index/volume:Volume": ["name", "driver", "mountpoint"],
  "docker:index/remoteImage:RemoteImage": ["imageId", "repoDigest"],
  "docker:index/image:Image": ["repoDigest", "baseImageName", "registryServer", "context", "dockerfile", "platform"],
  // resource_docker_service.go: Computed top-level fields (name is autonamed when left out).
  "docker:index/service:Service": ["name", "labels", "mode", "endpointSpec"],
  "docker:index/secret:Secret": ["name"],
  "docker:index/serviceConfig:ServiceConfig": ["name"],
  "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
  "random:index/randomString:RandomString": ["result"],
  "random:index/randomBytes:RandomBytes": ["base64", "hex"],
  "random:index/randomId:RandomId": ["hex", "b64Url", "b64Std", "dec"],
};

function isComputedOutput(type: string, key: string): boolean {
  return (COMPUTED_OUTPUTS[type] ?? []).includes(key);
}

const isZero = (v: unknown) =>
  v === undefined || v === null || v === "" || v === 0 || v === false ||
  (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);

/** JSON with sorted keys and zero-valued keys dropped, for comparing nested values. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const keys = Object.keys(v).filter((k) => !isZero((v as any)[k])).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

function withElementDefaults(value: unknown, defaults: Record<string, unknown> | undefined): unknown {
  if (!defaults || value === undefined || value === null) return value;
  const fill = (e: any) => (typeof e === "object" && e !== null ? { ...defaults, ...e } : e);
  return Array.isArray(value) ? value.map(fill) : fill(value);
}

function mapEqual(a: unknown, b: unknown): boolean {
  const [x, y] = [(a ?? {}) as Record<string, unknown>, (b ?? {}) as Record<string, unknown>];
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys].every((k) => k in x && k in y && String(x[k]) === String(y[k]));
}

function equal(field: Field, a: unknown, b: unknown): boolean {
  if (field.map) return mapEqual(a, b);
  const [x, y] = [withElementDefaults(a, field.elementDefaults), withElementDefaults(b, field.elementDefaults)];
  if (field.set && Array.isArray(x) && Array.isArray(y)) {
    return canonical(x.map(canonical).sort()) === canonical(y.map(canonical).sort());
  }
  return canonical(x) === canonical(y);
}

/** The program's inputs with the schema's defaults filled in (what the provider plans with). */
export function withDefaults(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const fields = FIELDS_BY_TYPE[type] ?? {};
  const out = { ...inputs };
  for (const [k, f] of Object.entries(fields)) {
    if (f.default !== undefined && (out[k] === undefined || out[k] === null)) out[k] = f.default;
  }
  return out;
}

/** schemaMap.Diff for one resource: compares the program's inputs to the provider's state. */
function schemaDiff(type: string, fields: Readonly<Record<string, Field>>, state: Record<string, unknown>, inputs: Record<string, unknown>): Change {
  const planned = withDefaults(type, inputs);
  for (const k of Object.keys(planned)) {
    if (!(k in fields) && planned[k] !== undefined && planned[k] !== null) {
      throw new Error(`${type}: input "${k}" is not in the provider schema table (providerSchema.ts)`);
    }
  }
  const changed = Object.entries(fields)
    .filter(([k, f]) => {
      const want = planned[k];
      if (containsUnknown(want)) return true;
      if (want === undefined || want === null) return !f.computed && !isZero(state[k]);
      if (isZero(want) && isZero(state[k])) return false;
      return !equal(f, want, state[k]);
    })
    .map(([k]) => k);
  if (changed.length === 0) return { op: "same" };
  return changed.some((k) => fields[k].replaces) ? { op: "replace", fields: changed } : { op: "update", fields: changed };
}

/** docker_service: nested blocks, compared field by field (serviceSchema.ts); fields are dotted paths. */
function serviceDiff(state: Record<string, unknown>, inputs: Record<string, unknown>): Change {
  checkKnown("docker:index/service:Service", SERVICE_SCHEMA, inputs);
  const changes = diffFields(SERVICE_SCHEMA, state, inputs);
  if (changes.length === 0) return { op: "same" };
  const fields = changes.map((c) => c.path);
  return changes.some((c) => c.replaces) ? { op: "replace", fields } : { op: "update", fields };
}

/**
 * pulumi-docker provider/provider.go, (*dockerNativeProvider).Diff for docker:index/image:Image:
 * `oldInputs.Diff(news)`, every changed key an UPDATE (never a replacement), changes of
 * registry.username and registry.password ignored. The inputs carry build.contextDigest, which
 * Check adds (see contextDigest.ts).
 */
function imageDiff(old: Record<string, unknown>, news: Record<string, unknown>): Change {
  const strip = (i: Record<string, any>): Record<string, any> => ({ ...i, registry: i.registry && { ...i.registry, username: undefined, password: undefined } });
  const [a, b] = [strip(old), strip(news)];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !isComputedOutput("docker:index/image:Image", k));
  const changed = keys.filter((k) => containsUnknown(b[k]) || canonical(a[k]) !== canonical(b[k]));
  return changed.length === 0 ? { op: "same" } : { op: "update", fields: changed.sort() };
}

/**
 * The provider's answer to Diff(old state, new inputs). `state` is what the provider stored after
 * its last create/update (containerReadBack.ts for containers), `inputs` the program's plain
 * inputs (after Check: image context digest, autoname).
 */
export function changeOf(type: string, state: Record<string, unknown>, inputs: Record<string, unknown>): Change {
  if (type === "docker:index/image:Image") return imageDiff(state, inputs);
  if (type === "docker:index/service:Service") return serviceDiff(state, inputs);
  const fields = FIELDS_BY_TYPE[type];
  if (fields) return schemaDiff(type, fields, state, inputs);
  if (RANDOM_TYPES.includes(type)) {
    const keys = [...new Set([...Object.keys(state), ...Object.keys(inputs)])].filter((k) => !isComputedOutput(type, k));
    const changed = keys.filter((k) => containsUnknown(inputs[k]) || canonical(state[k]) !== canonical(inputs[k]));
    const conditional = changed.filter((k) => k === "keepers" || k === "overrideSpecial");
    if (conditional.length > 0) throw new Error(`${type}: a change of ${conditional.join(", ")} is not modelled (conditional RequiresReplace)`);
    return changed.length === 0 ? { op: "same" } : { op: "replace", fields: changed };
  }
  if (type.startsWith("pulumi:providers:")) {
    if (canonical(state) !== canonical(inputs)) throw new Error(`changing the configuration of provider ${type} is not supported`);
    return { op: "same" };
  }
  throw new Error(`${type}: no diff rules in providerSchema.ts`);
}
