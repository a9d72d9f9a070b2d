/**
 * The state the docker provider stores for a service after its create or update: what its Read
 * sets from the daemon's ServiceInspect, over the plan (auth and converge_config are not read).
 * terraform-provider-docker v4.5.0 resource_docker_service_funcs.go,
 * resourceDockerServiceReadRefreshFunc (name, labels, task_spec, mode, update_config,
 * rollback_config, endpoint_spec from Endpoint once its Spec.Mode is set, else from
 * Spec.EndpointSpec), and resource_docker_service_structures.go, the flatten* functions. Durations
 * are read back with shortDur (time.Duration.String(), "m0s" -> "m", "h0m" -> "h"), so the
 * program must write them that way ("5s", "1m", "1m30s", "1h") or its next run is an update.
 * The run label the stand-in adds (service labels, container labels, every mount's volume
 * labels) is taken out again: it is not the program's.
 */
import { goDuration } from "./containerReadBack";
import { RUN_LABEL } from "./ledger";

type O = Record<string, any>;

/** structures.go shortDur. */
export function shortDur(ns: number): string {
  let s = goDuration(ns);
  if (s.endsWith("m0s")) s = s.slice(0, -2);
  if (s.endsWith("h0m")) s = s.slice(0, -2);
  return s;
}

/** mapToLabelSet, without the stand-in's run label. */
const labelSet = (m: Record<string, string> | null | undefined) =>
  Object.entries(m ?? {}).filter(([k]) => k !== RUN_LABEL).map(([label, value]) => ({ label, value }));
const nonEmpty = (a: unknown[] | null | undefined) => (a && a.length > 0 ? a : undefined);
/** A MaxItems-1 list: [] is no block, [m] the block m. */
const defined = (o: O): O => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** mapStringSliceToMap: "k=v=w" -> k: "v=w". */
function envMap(env: string[]): Record<string, string> {
  return Object.fromEntries(env.filter((e) => e.length > 0).map((e) => [e.split("=")[0], e.split("=").slice(1).join("=")]));
}

function fileRef(r: O, idKey: string, nameKey: string, id: string, name: string): O {
  const m: O = { [id]: r[idKey] };
  if (r[nameKey]) m[name] = r[nameKey];
  if (r.File) {
    m.fileName = r.File.Name;
    if (r.File.UID) m.fileUid = r.File.UID;
    if (r.File.GID) m.fileGid = r.File.GID;
    m.fileMode = r.File.Mode;
  }
  return m;
}

/**
 * flattenServiceMounts. `plannedMounts`: the program's, to drop a VolumeOptions the stand-in
 * added only to label the volume (a mount the program gave no volumeOptions has none).
 */
function mounts(list: O[], plannedMounts: O[]): O[] {
  return list.map((v) => {
    const m: O = { target: v.Target, source: v.Source ?? "", type: v.Type, readOnly: v.ReadOnly ?? false };
    if (v.BindOptions) m.bindOptions = defined({ propagation: v.BindOptions.Propagation || undefined });
    const own = plannedMounts.find((p) => p.target === v.Target);
    if (v.VolumeOptions && !(own && own.volumeOptions === undefined)) {
      const vo: O = { noCopy: v.VolumeOptions.NoCopy ?? false, labels: labelSet(v.VolumeOptions.Labels) };
      if (v.VolumeOptions.DriverConfig) {
        if (v.VolumeOptions.DriverConfig.Name) vo.driverName = v.VolumeOptions.DriverConfig.Name;
        vo.driverOptions = { ...(v.VolumeOptions.DriverConfig.Options ?? {}) };
      }
      m.volumeOptions = vo;
    }
    if (v.TmpfsOptions) m.tmpfsOptions = { sizeBytes: v.TmpfsOptions.SizeBytes ?? 0, mode: (v.TmpfsOptions.Mode ?? 0) & 0o777 };
    return m;
  });
}

/** flattenContainerSpec (supportsServiceContainerInit: API 1.41 >= 1.37). */
function containerSpec(c: O, planned: O): O {
  const h = c.Healthcheck;
  const dns = c.DNSConfig;
  return defined({
    image: c.Image || undefined,
    labels: nonEmpty(labelSet(c.Labels)),
    commands: nonEmpty(c.Command),
    args: nonEmpty(c.Args),
    hostname: c.Hostname || undefined,
    env: nonEmpty(c.Env) ? envMap(c.Env) : undefined,
    user: c.User || undefined,
    dir: c.Dir || undefined,
    groups: nonEmpty(c.Groups),
    readOnly: c.ReadOnly ? true : undefined,
    mounts: nonEmpty(c.Mounts) ? mounts(c.Mounts, planned.mounts ?? []) : undefined,
    stopSignal: c.StopSignal || undefined,
    stopGracePeriod: c.StopGracePeriod !== undefined && c.StopGracePeriod !== null ? shortDur(c.StopGracePeriod) : undefined,
    healthcheck: h
      ? defined({ tests: nonEmpty(h.Test), interval: shortDur(h.Interval ?? 0), timeout: shortDur(h.Timeout ?? 0), startPeriod: shortDur(h.StartPeriod ?? 0), retries: h.Retries ?? 0 })
      : undefined,
    hosts: nonEmpty(c.Hosts) ? c.Hosts.map((x: string) => ({ ip: x.split(" ")[0], host: x.split(" ")[1] })) : undefined,
    dnsConfig: dns ? defined({ nameservers: nonEmpty(dns.Nameservers), searches: nonEmpty(dns.Search), options: nonEmpty(dns.Options) }) : undefined,
    secrets: nonEmpty(c.Secrets) ? c.Secrets.map((r: O) => fileRef(r, "SecretID", "SecretName", "secretId", "secretName")) : undefined,
    configs: nonEmpty(c.Configs) ? c.Configs.map((r: O) => fileRef(r, "ConfigID", "ConfigName", "configId", "configName")) : undefined,
    isolation: c.Isolation || undefined,
    sysctl: Object.keys(c.Sysctls ?? {}).length > 0 ? c.Sysctls : undefined,
    capAdds: nonEmpty(c.CapabilityAdd),
    capDrops: nonEmpty(c.CapabilityDrop),
    init: c.Init === undefined || c.Init === null ? undefined : c.Init,
  });
}

/** flattenTaskSpec. */
function taskSpec(t: O, planned: O): O {
  const limits = (l: O | undefined) => (l ? { nanoCpus: l.NanoCPUs ?? 0, memoryBytes: l.MemoryBytes ?? 0 } : undefined);
  const rp = t.RestartPolicy;
  const pl = t.Placement;
  return defined({
    containerSpec: t.ContainerSpec ? containerSpec(t.ContainerSpec, planned.containerSpec ?? {}) : undefined,
    resources: t.Resources
      ? defined({ limits: limits(t.Resources.Limits), reservation: t.Resources.Reservations ? { ...limits(t.Resources.Reservations) } : undefined })
      : undefined,
    restartPolicy: rp
      ? defined({
          condition: rp.Condition || undefined,
          delay: rp.Delay !== undefined ? shortDur(rp.Delay) : undefined,
          maxAttempts: rp.MaxAttempts,
          window: rp.Window !== undefined ? shortDur(rp.Window) : undefined,
        })
      : undefined,
    placement: pl
      ? defined({
          constraints: nonEmpty(pl.Constraints),
          prefs: nonEmpty(pl.Preferences) ? pl.Preferences.map((p: O) => p.Spread?.SpreadDescriptor) : undefined,
          platforms: nonEmpty(pl.Platforms) ? pl.Platforms.map((p: O) => ({ architecture: p.Architecture, os: p.OS })) : undefined,
          maxReplicas: pl.MaxReplicas ?? 0,
        })
      : undefined,
    forceUpdate: t.ForceUpdate ?? 0,
    runtime: t.Runtime || undefined,
    networksAdvanceds: nonEmpty(t.Networks)
      ? t.Networks.map((n: O) => defined({ id: n.Target, driverOpts: Object.entries(n.DriverOpts ?? {}).map(([k, v]) => `${k}=${v}`), aliases: nonEmpty(n.Aliases) }))
      : undefined,
    logDriver: t.LogDriver ? defined({ name: t.LogDriver.Name, options: Object.keys(t.LogDriver.Options ?? {}).length > 0 ? t.LogDriver.Options : undefined }) : undefined,
  });
}

/** flattenServiceUpdateOrRollbackConfig: max_failure_ratio with strconv.FormatFloat(f, 'f', 1, 64). */
function rollout(u: O | undefined): O | undefined {
  if (!u) return undefined;
  return { parallelism: u.Parallelism ?? 0, delay: shortDur(u.Delay ?? 0), failureAction: u.FailureAction ?? "", monitor: shortDur(u.Monitor ?? 0), maxFailureRatio: (u.MaxFailureRatio ?? 0).toFixed(1), order: u.Order ?? "" };
}

/** flattenServicePorts. */
const ports = (list: O[] | undefined) =>
  (list ?? []).map((p) => ({ name: p.Name ?? "", protocol: p.Protocol ?? "", targetPort: p.TargetPort ?? 0, publishedPort: p.PublishedPort ?? 0, publishMode: p.PublishMode ?? "" }));

/**
 * Whether the read can take the service yet ("pending" until an endpoint mode shows), and the
 * state: the plan with what the read sets over it.
 */
export function serviceReadBack(svc: O, plannedState: O): { pending: boolean; state?: O } {
  const endpointMode = svc.Endpoint?.Spec?.Mode ?? "";
  const specMode = svc.Spec?.EndpointSpec?.Mode ?? "";
  if (endpointMode === "" && specMode === "") return { pending: true };
  const spec = svc.Spec;
  const mode = spec.Mode ?? {};
  const state: O = {
    ...plannedState,
    name: spec.Name,
    labels: labelSet(spec.Labels),
    taskSpec: taskSpec(spec.TaskTemplate ?? {}, plannedState.taskSpec ?? {}),
    mode: defined({ replicated: mode.Replicated ? defined({ replicas: mode.Replicated.Replicas }) : undefined, global: Boolean(mode.Global) }),
    updateConfig: rollout(spec.UpdateConfig),
    rollbackConfig: rollout(spec.RollbackConfig),
    endpointSpec: endpointMode !== ""
      ? { mode: endpointMode, ports: ports(svc.Endpoint.Ports) }
      : { mode: specMode, ports: ports(spec.EndpointSpec.Ports) },
  };
  return { pending: false, state: defined(state) };
}
