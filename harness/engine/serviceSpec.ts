/**
 * docker.Service's inputs, checked strictly, and the ServiceSpec the provider sends for them:
 * terraform-provider-docker v4.5.0 resource_docker_service_structures.go, createServiceSpec and
 * its create* helpers, serialised as Go's encoding/json does with the `omitempty` tags of
 * github.com/docker/docker v28.5.2 api/types/swarm. The helpers read the ResourceData (`d.Get`),
 * which holds every field of a block at its zero value, so several parts are always sent even
 * when the program leaves them out: StopGracePeriod (0 for an unset "" duration),
 * Healthcheck {}, DNSConfig {}, Init (false), Isolation "default", Resources {},
 * RestartPolicy {} (with Delay/MaxAttempts/Window 0 once the block is given), Placement {},
 * ForceUpdate, EndpointSpec {}. `planned` is the plan (serviceSchema.planned): the program's
 * values with Defaults, and on an update the state's values of Computed fields it left out.
 */
import { durationNs, labelMap, onlyKnown, required } from "./inputs";
import { RUN_LABEL } from "./ledger";
import { isUnknown } from "./providerSchema";

type O = Record<string, any>;
const absent = (v: unknown) => v === undefined || v === null;
/** Go omitempty: drops undefined, "", 0, false, empty slices and maps. Keys in `keep` stay. */
function omit(o: O, keep: string[] = []): O {
  const out: O = {};
  for (const [k, v] of Object.entries(o)) {
    const empty = absent(v) || v === "" || v === 0 || v === false || (Array.isArray(v) && v.length === 0) ||
      (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0 && !keep.includes(k));
    if (!empty || (keep.includes(k) && !absent(v))) out[k] = v;
  }
  return out;
}
/** time.ParseDuration with the error ignored, as the provider does ("" -> 0). */
const dur = (d: unknown) => (typeof d === "string" && d !== "" ? durationNs("duration", d)! : 0);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []).filter((x) => !isUnknown(x));
const labels = (v: unknown) => Object.fromEntries(list(v).map((l) => [l.label, l.value]));

// --- Check: what the program may pass (validators.go messages) --------------------------------
// An unknown value (a preview) is not validated, as Terraform defers validating it.

/** The value, or undefined where it is unknown. */
const k = <T>(v: T): T | undefined => (isUnknown(v) ? undefined : v);

const only = (where: string, o: unknown, keys: readonly string[]) => void (isUnknown(o) ? undefined : onlyKnown(where, o as object, keys));
const labelsOf = (where: string, l: unknown) => void (isUnknown(l) ? undefined : labelMap(where, (l as any[] | undefined)?.filter((x) => !isUnknown(x))));
const pattern = (where: string, v: unknown, re: RegExp) => {
  if (!absent(k(v)) && !re.test(String(v))) throw new Error(`${where}: '${v}' doesn't match the pattern '${re.source}'`);
};
const duration = (where: string, v: unknown) => {
  if (absent(k(v))) return;
  let ns: number | undefined;
  try {
    ns = durationNs(where, String(v).replace(/^-/, ""));
  } catch {
    throw new Error(`${where}: '${v}' is not a valid duration`);
  }
  if (String(v).startsWith("-") && ns !== 0) throw new Error(`${where}: '${v}' duration must not be negative`);
};
const atLeast0 = (where: string, v: unknown) => {
  if (!absent(k(v)) && Number(v) < 0) throw new Error(`${where}: '${v}' cannot be lower than 0`);
};

function checkRollout(where: string, c: O | undefined) {
  if (absent(c)) return;
  only(where, c, ["parallelism", "delay", "failureAction", "monitor", "maxFailureRatio", "order"]);
  atLeast0(`${where}.parallelism`, c!.parallelism);
  duration(`${where}.delay`, c!.delay);
  duration(`${where}.monitor`, c!.monitor);
  pattern(`${where}.failureAction`, c!.failureAction, where.endsWith("updateConfig") ? /^(pause|continue|rollback)$/ : /(pause|continue)/);
  pattern(`${where}.order`, c!.order, where.endsWith("updateConfig") ? /^(stop-first|start-first)$/ : /(stop-first|start-first)/);
  if (!absent(c!.maxFailureRatio)) {
    const r = Number(c!.maxFailureRatio);
    if (Number.isNaN(r)) throw new Error(`${where}.maxFailureRatio: '${c!.maxFailureRatio}' is not a float`);
    if (r < 0 || r > 1) throw new Error(`${where}.maxFailureRatio: '${c!.maxFailureRatio}' has to be between 0.0 and 1.0`);
  }
}

function checkFileRefs(where: string, refs: unknown, id: string, name: string) {
  list(refs).forEach((r, i) => {
    const w = `${where}[${i}]`;
    only(w, r, [id, name, "fileName", "fileMode", "fileUid", "fileGid"]);
    required(`${w}.${id}`, r[id]);
    required(`${w}.fileName`, r.fileName);
    atLeast0(`${w}.fileMode`, r.fileMode);
  });
}

function checkContainerSpec(where: string, cs: O) {
  if (isUnknown(cs)) return;
  only(where, cs, [
    "image", "commands", "args", "env", "dir", "user", "hostname", "labels", "mounts", "secrets", "configs",
    "healthcheck", "stopSignal", "stopGracePeriod",
  ]);
  required(`${where}.image`, cs.image);
  labelsOf(`${where}.labels`, cs.labels);
  list(cs.mounts).forEach((m, i) => {
    const w = `${where}.mounts[${i}]`;
    only(w, m, ["target", "source", "type", "readOnly", "volumeOptions"]);
    required(`${w}.target`, m.target);
    if (m.type !== "volume") throw new Error(`${w}.type: "${m.type}" is not supported by the engine mocks (only "volume")`);
    if (!absent(m.volumeOptions)) {
      only(`${w}.volumeOptions`, m.volumeOptions, ["labels", "driverName", "driverOptions", "noCopy"]);
      labelsOf(`${w}.volumeOptions.labels`, m.volumeOptions.labels);
    }
  });
  checkFileRefs(`${where}.secrets`, cs.secrets, "secretId", "secretName");
  checkFileRefs(`${where}.configs`, cs.configs, "configId", "configName");
  if (!absent(cs.healthcheck)) {
    const h = cs.healthcheck;
    only(`${where}.healthcheck`, h, ["tests", "interval", "timeout", "retries", "startPeriod"]);
    for (const k of ["interval", "timeout", "startPeriod"]) duration(`${where}.healthcheck.${k}`, h[k]);
    atLeast0(`${where}.healthcheck.retries`, h.retries);
  }
  duration(`${where}.stopGracePeriod`, cs.stopGracePeriod);
}

/** Every input, at every depth, before anything is created; plus the schema's ConflictsWith. */
export function checkService(where: string, i: O): void {
  only(where, i, ["name", "labels", "mode", "taskSpec", "updateConfig", "rollbackConfig", "endpointSpec", "convergeConfig"]);
  labelsOf(`${where} labels`, i.labels);
  const taskSpec = required(`${where} taskSpec`, i.taskSpec);
  const ts: O = k(taskSpec) ?? {};
  only(`${where} taskSpec`, ts, ["containerSpec", "resources", "restartPolicy", "placement", "networksAdvanceds", "logDriver", "forceUpdate"]);
  if (!isUnknown(taskSpec)) checkContainerSpec(`${where} taskSpec.containerSpec`, required(`${where} taskSpec.containerSpec`, ts.containerSpec));
  if (!absent(ts.resources)) {
    only(`${where} taskSpec.resources`, ts.resources, ["limits", "reservation"]);
    for (const k of ["limits", "reservation"]) only(`${where} taskSpec.resources.${k}`, ts.resources[k], ["nanoCpus", "memoryBytes"]);
  }
  if (!absent(ts.restartPolicy)) {
    const w = `${where} taskSpec.restartPolicy`;
    only(w, ts.restartPolicy, ["condition", "delay", "maxAttempts", "window"]);
    pattern(`${w}.condition`, ts.restartPolicy.condition, /^(none|on-failure|any)$/);
    duration(`${w}.delay`, ts.restartPolicy.delay);
    duration(`${w}.window`, ts.restartPolicy.window);
    atLeast0(`${w}.maxAttempts`, ts.restartPolicy.maxAttempts);
  }
  only(`${where} taskSpec.placement`, ts.placement, ["constraints", "prefs", "maxReplicas", "platforms"]);
  list(ts.placement?.platforms).forEach((x, k) => {
    only(`${where} taskSpec.placement.platforms[${k}]`, x, ["architecture", "os"]);
    required(`${where} taskSpec.placement.platforms[${k}].architecture`, x.architecture);
    required(`${where} taskSpec.placement.platforms[${k}].os`, x.os);
  });
  list(ts.networksAdvanceds).forEach((n, k) => only(`${where} taskSpec.networksAdvanceds[${k}]`, n, ["id", "name", "aliases"]));
  if (!absent(ts.logDriver)) {
    only(`${where} taskSpec.logDriver`, ts.logDriver, ["name", "options"]);
    required(`${where} taskSpec.logDriver.name`, ts.logDriver.name);
  }
  atLeast0(`${where} taskSpec.forceUpdate`, ts.forceUpdate);
  if (!absent(i.mode)) {
    only(`${where} mode`, i.mode, ["replicated", "global"]);
    only(`${where} mode.replicated`, i.mode.replicated, ["replicas"]);
    atLeast0(`${where} mode.replicated.replicas`, i.mode.replicated?.replicas);
  }
  checkRollout(`${where} updateConfig`, i.updateConfig);
  checkRollout(`${where} rollbackConfig`, i.rollbackConfig);
  if (!absent(i.endpointSpec)) {
    only(`${where} endpointSpec`, i.endpointSpec, ["mode", "ports"]);
    pattern(`${where} endpointSpec.mode`, i.endpointSpec.mode, /^(vip|dnsrr)$/);
    list(i.endpointSpec.ports).forEach((p, k) => {
      const w = `${where} endpointSpec.ports[${k}]`;
      only(w, p, ["targetPort", "publishedPort", "publishMode", "protocol"]);
      required(`${w}.targetPort`, p.targetPort);
      pattern(`${w}.protocol`, p.protocol, /^(tcp|udp|sctp)$/);
      pattern(`${w}.publishMode`, p.publishMode, /^(host|ingress)$/);
    });
  }
  if (!absent(i.convergeConfig)) {
    only(`${where} convergeConfig`, i.convergeConfig, ["delay", "timeout"]);
    duration(`${where} convergeConfig.delay`, i.convergeConfig.delay);
    duration(`${where} convergeConfig.timeout`, i.convergeConfig.timeout);
  }
  // helper/schema validateConflictingAttributes: a key set in the config, whatever its value
  // (an unknown one is skipped).
  const conflicts: string[] = [];
  const global = k(k(i.mode)?.global);
  if (!absent(global) && !absent(k(i.convergeConfig))) conflicts.push(`"converge_config": conflicts with mode.0.global`, `"mode.0.global": conflicts with converge_config`);
  if (!absent(global) && !absent(k(i.mode?.replicated))) conflicts.push(`"mode.0.replicated": conflicts with mode.0.global`, `"mode.0.global": conflicts with mode.0.replicated`);
  if (conflicts.length > 0) throw new Error(`${where}: ${conflicts.join("; ")}`);
}

// --- createServiceSpec ------------------------------------------------------------------------

/** createContainerSpec (with supportsServiceContainerInit: the engine's API 1.41 >= 1.37). */
function containerSpec(cs: O, runId: string): O {
  const mounts = list(cs.mounts).map((m) => {
    const vo = m.volumeOptions;
    // The stand-in's own addition: every volume a task creates carries the run label.
    const VolumeOptions = absent(vo)
      ? { Labels: { [RUN_LABEL]: runId } }
      : omit({ NoCopy: vo.noCopy, Labels: { ...labels(vo.labels), [RUN_LABEL]: runId }, DriverConfig: omit({ Name: vo.driverName, Options: vo.driverOptions }) }, ["DriverConfig"]);
    return omit({ Type: m.type, Source: m.source ?? "", Target: m.target, ReadOnly: m.readOnly, VolumeOptions });
  });
  const hc = cs.healthcheck ?? {};
  const ref = (r: O, id: string, name: string, idKey: string, nameKey: string) => ({
    File: { Name: r.fileName, UID: r.fileUid ?? "0", GID: r.fileGid ?? "0", Mode: r.fileMode ?? 0o444 },
    [idKey]: r[id],
    [nameKey]: r[name] ?? "",
  });
  const dns = cs.dnsConfig ?? {};
  return omit(
    {
      Image: cs.image,
      Labels: { ...labels(cs.labels), [RUN_LABEL]: runId }, // the stand-in's: task containers carry the run label
      Command: list(cs.commands),
      Args: list(cs.args),
      Hostname: cs.hostname,
      Env: Object.entries(cs.env ?? {}).filter(([k]) => k.length > 0).map(([k, v]) => `${k}=${v}`),
      Dir: cs.dir,
      User: cs.user,
      Init: Boolean(cs.init),
      StopSignal: cs.stopSignal,
      Mounts: mounts,
      StopGracePeriod: dur(cs.stopGracePeriod),
      Healthcheck: omit({ Test: list(hc.tests), Interval: dur(hc.interval), Timeout: dur(hc.timeout), StartPeriod: dur(hc.startPeriod), Retries: hc.retries }),
      DNSConfig: omit({ Nameservers: list(dns.nameservers), Search: list(dns.searches), Options: list(dns.options) }),
      Secrets: list(cs.secrets).map((r) => ref(r, "secretId", "secretName", "SecretID", "SecretName")),
      Configs: list(cs.configs).map((r) => ref(r, "configId", "configName", "ConfigID", "ConfigName")),
      Isolation: cs.isolation ?? "default",
    },
    ["Init", "StopGracePeriod", "Healthcheck", "DNSConfig"],
  );
}

/** createServiceSpec for the plan; the client's image handling (service.ts) comes after. */
export function serviceSpecBody(name: string, p: O, runId: string): O {
  const ts = p.taskSpec ?? {};
  const res = ts.resources ?? {};
  const rp = ts.restartPolicy;
  const pl = ts.placement ?? {};
  const rollout = (c: O | undefined) =>
    absent(c)
      ? undefined
      : omit(
          { Parallelism: c!.parallelism ?? 0, Delay: dur(c!.delay), FailureAction: c!.failureAction, Monitor: dur(c!.monitor), MaxFailureRatio: Number(c!.maxFailureRatio ?? 0), Order: c!.order ?? "" },
          ["Parallelism", "MaxFailureRatio", "Order"],
        );
  const networks = list(ts.networksAdvanceds).map((n) => {
    const target = n.id || n.name;
    if (!target) throw new Error("network 'name' or 'id' must be specified");
    return omit({ Target: target, Aliases: list(n.aliases) });
  });
  const mode = p.mode ?? {};
  return {
    Name: name,
    Labels: { ...labels(p.labels), [RUN_LABEL]: runId },
    TaskTemplate: omit(
      {
        ContainerSpec: containerSpec(ts.containerSpec ?? {}, runId),
        Resources: omit({
          Limits: res.limits ? omit({ NanoCPUs: res.limits.nanoCpus, MemoryBytes: res.limits.memoryBytes }, []) : undefined,
          Reservations: res.reservation ? omit({ NanoCPUs: res.reservation.nanoCpus, MemoryBytes: res.reservation.memoryBytes }) : undefined,
        }, ["Limits", "Reservations"]),
        RestartPolicy: absent(rp) ? {} : omit({ Condition: rp.condition, Delay: dur(rp.delay), MaxAttempts: rp.maxAttempts ?? 0, Window: dur(rp.window) }, ["Delay", "MaxAttempts", "Window"]),
        Placement: omit({
          Constraints: list(pl.constraints),
          Preferences: list(pl.prefs).map((s) => ({ Spread: { SpreadDescriptor: s } })),
          MaxReplicas: pl.maxReplicas,
          Platforms: list(pl.platforms).map((x) => ({ Architecture: x.architecture, OS: x.os })),
        }),
        Networks: networks,
        LogDriver: ts.logDriver ? omit({ Name: ts.logDriver.name, Options: ts.logDriver.options }) : undefined,
        ForceUpdate: ts.forceUpdate ?? 0,
        Runtime: ts.runtime,
      },
      ["Resources", "RestartPolicy", "Placement", "ForceUpdate"],
    ),
    Mode: omit({ Replicated: mode.replicated ? { Replicas: mode.replicated.replicas ?? 1 } : undefined, Global: mode.global ? {} : undefined }, ["Global", "Replicated"]),
    UpdateConfig: rollout(p.updateConfig),
    RollbackConfig: rollout(p.rollbackConfig),
    EndpointSpec: omit({
      Mode: p.endpointSpec?.mode,
      Ports: list(p.endpointSpec?.ports).map((x) =>
        omit({ Name: x.name, Protocol: x.protocol ?? "tcp", TargetPort: x.targetPort, PublishedPort: x.publishedPort, PublishMode: x.publishMode ?? "ingress" }),
      ),
    }),
  };
}
