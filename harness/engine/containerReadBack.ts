/**
 * The state the docker provider stores for a container after creating it: the planned inputs
 * (schema defaults filled in), overwritten by what its read takes back from the daemon.
 * terraform-provider-docker v4.5.0, internal/provider/resource_docker_container_funcs.go,
 * resourceDockerContainerRead (called at the end of resourceDockerContainerCreate). It does not
 * read env, labels, volumes, uploads, networks_advanced (unless empty) or the lifecycle flags,
 * so those keep the program's values. The next run's diff (providerSchema.ts) compares to this.
 */
import { withDefaults } from "./providerSchema";

const MiB = 1024 * 1024;
const CONTAINER = "docker:index/container:Container";

/** helpers.go, nanoInt64ToDecimalString: 1e9 -> "1.0", 5e8 -> "0.5", 1.5e9 -> "1.5". */
export function nanoToDecimalString(nano: number): string {
  if (nano === 0) return "0";
  const whole = Math.trunc(nano / 1e9);
  const str = `${whole}.${String(nano % 1e9).padStart(9, "0")}`;
  // The provider's test for a "round" value counts the zeros of the whole string.
  if ((str.match(/0/g) ?? []).length === 9) return `${whole}.${str.split(".")[1][0]}`;
  return str.replace(/0+$/, "");
}

/** Go's time.Duration.String() for a number of nanoseconds: "5s", "1m30s", "500ms", "0s". */
export function goDuration(ns: number): string {
  if (ns === 0) return "0s";
  const trim = (n: number) => String(Number(n.toFixed(9)));
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)}ms`;
  const h = Math.floor(ns / 3600e9);
  const m = Math.floor((ns % 3600e9) / 60e9);
  const s = trim((ns % 60e9) / 1e9);
  return `${h > 0 ? `${h}h` : ""}${h > 0 || m > 0 ? `${m}m` : ""}${s}s`;
}

/** Megabytes as the provider stores them: bytes / 1 MiB, integer division (Go int64). */
const toMb = (bytes: number | undefined) => Math.trunc((bytes ?? 0) / MiB);

/** resource_docker_container_structures.go, flattenContainerPorts: one entry per host binding. */
function flattenPorts(ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null | undefined) {
  const keys = Object.keys(ports ?? {}).sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
  return keys.flatMap((key) => {
    const [internal, protocol] = key.split("/");
    return (ports![key] ?? []).map((b) => ({ internal: Number(internal), external: Number(b.HostPort) || 0, ip: b.HostIp, protocol }));
  });
}

/**
 * `inspect`: GET /containers/{id}/json. `inputs`: the program's plain inputs for the container.
 * Returns the provider's state: what the next diff compares the program's inputs against.
 */
export function containerReadBack(inspect: any, inputs: Record<string, unknown>): Record<string, unknown> {
  const planned = withDefaults(CONTAINER, inputs);
  const hc = inspect.HostConfig ?? {};
  const cfg = inspect.Config ?? {};
  const state: Record<string, unknown> = { ...planned };
  const running = Boolean(inspect.State?.Running);

  state.bridge = inspect.NetworkSettings?.Bridge;
  if (running || planned.mustRun) {
    if (planned.ports !== undefined && planned.ports !== null) state.ports = flattenPorts(inspect.NetworkSettings?.Ports);
  }
  if (!running) {
    state.exitCode = inspect.State?.ExitCode;
    if (planned.mustRun) state.mustRun = false;
  }
  state.name = String(inspect.Name ?? "").replace(/^\/+/, "");
  state.rm = hc.AutoRemove ?? false;
  state.readOnly = hc.ReadonlyRootfs ?? false;
  state.image = String(planned.image ?? "").startsWith("sha256:") ? inspect.Image : cfg.Image;
  state.hostname = cfg.Hostname;
  state.domainname = cfg.Domainname;
  state.command = cfg.Cmd ?? undefined;
  state.entrypoints = cfg.Entrypoint ?? undefined;
  state.user = cfg.User;
  state.dns = hc.Dns ?? undefined;
  state.dnsOpts = hc.DnsOptions ?? undefined;
  state.securityOpts = hc.SecurityOpt ?? undefined;
  state.dnsSearches = hc.DnsSearch ?? undefined;
  state.publishAllPorts = hc.PublishAllPorts ?? false;
  state.restart = hc.RestartPolicy?.Name;
  state.maxRetryCount = hc.RestartPolicy?.MaximumRetryCount;
  state.init = hc.Init ?? false;
  state.workingDir = cfg.WorkingDir;
  if ((hc.CapAdd ?? []).length > 0 || (hc.CapDrop ?? []).length > 0) state.capabilities = { adds: hc.CapAdd ?? undefined, drops: hc.CapDrop ?? undefined };
  state.runtime = hc.Runtime;
  state.platform = inspect.Platform;
  state.mounts = (hc.Mounts ?? []).map((m: any) => ({ target: m.Target, source: m.Source, type: m.Type, readOnly: m.ReadOnly ?? false }));
  state.tmpfs = hc.Tmpfs ?? undefined;
  state.hosts = (hc.ExtraHosts ?? []).map((h: string) => {
    const at = h.indexOf(":");
    return { host: h.slice(0, at), ip: h.slice(at + 1) };
  });
  if (planned.ulimits) state.ulimits = (hc.Ulimits ?? []).map((u: any) => ({ name: u.Name, soft: u.Soft, hard: u.Hard }));
  state.privileged = hc.Privileged ?? false;
  state.memory = toMb(hc.Memory);
  state.memoryReservation = hc.MemoryReservation > 0 ? toMb(hc.MemoryReservation) : hc.MemoryReservation ?? 0;
  state.memorySwap = hc.MemorySwap > 0 ? toMb(hc.MemorySwap) : hc.MemorySwap ?? 0;
  state.shmSize = toMb(hc.ShmSize);
  if (hc.NanoCpus > 0) state.cpus = nanoToDecimalString(hc.NanoCpus);
  state.cpuShares = hc.CpuShares ?? 0;
  state.cpuSet = hc.CpusetCpus ?? "";
  state.logDriver = hc.LogConfig?.Type;
  state.logOpts = planned.logOpts ? hc.LogConfig?.Config ?? undefined : undefined;
  state.storageOpts = hc.StorageOpt ?? undefined;
  state.networkMode = hc.NetworkMode;
  if (planned.pidMode) state.pidMode = hc.PidMode;
  state.usernsMode = hc.UsernsMode;
  const h = cfg.Healthcheck;
  if (h) {
    state.healthcheck = {
      tests: h.Test,
      interval: goDuration(h.Interval ?? 0),
      timeout: goDuration(h.Timeout ?? 0),
      startPeriod: goDuration(h.StartPeriod ?? 0),
      startInterval: goDuration(h.StartInterval ?? 0),
      retries: h.Retries ?? 0,
    };
  }
  state.sysctls = hc.Sysctls ?? undefined;
  state.ipcMode = hc.IpcMode;
  state.groupAdds = hc.GroupAdd ?? undefined;
  state.tty = cfg.Tty ?? false;
  state.stdinOpen = cfg.OpenStdin ?? false;
  state.stopSignal = cfg.StopSignal;
  state.stopTimeout = cfg.StopTimeout ?? 0;
  return state;
}
