/**
 * docker.Container inputs -> the Engine API's container create body, field for field as the
 * docker provider (terraform-provider-docker v3) fills container.Config and HostConfig, with its
 * schema defaults. Networks and uploads are applied after creation (see container.ts), as the
 * provider does.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { durationNs, labelMap, mb, onlyKnown, required } from "./inputs";
import { RUN_LABEL } from "./ledger";
import { TarFile } from "./tar";

export type ContainerIn = pulumi.Unwrap<docker.ContainerArgs>;

/** Inputs applied at creation (this file) or in the lifecycle (container.ts). */
export const CONTAINER_INPUTS = [
  // Config
  "image", "name", "command", "entrypoints", "envs", "labels", "user", "workingDir", "hostname",
  "domainname", "tty", "stdinOpen", "stopSignal", "stopTimeout", "healthcheck", "ports",
  // HostConfig
  "restart", "maxRetryCount", "memory", "memoryReservation", "memorySwap", "shmSize", "cpuShares",
  "cpuSet", "cpus", "cpuPeriod", "cpuQuota", "logDriver", "logOpts", "networkMode", "volumes",
  "mounts", "tmpfs", "readOnly", "init", "privileged", "publishAllPorts", "rm", "runtime",
  "capabilities", "dns", "dnsOpts", "dnsSearches", "hosts", "securityOpts", "sysctls", "ulimits",
  "groupAdds", "ipcMode", "pidMode", "usernsMode", "cgroupnsMode", "cgroupParent", "storageOpts",
  "devices",
  // lifecycle (container.ts)
  "networksAdvanced", "uploads", "start", "attach", "logs", "wait", "waitTimeout", "mustRun",
  "containerReadRefreshTimeoutMilliseconds",
  // only read by the provider when destroying; they do not change what is created
  "destroyGraceSeconds", "removeVolumes",
];
// Not implemented, so they throw: gpus, deviceRequests, deviceCgroupRules, device{Read,Write}{Bps,Iops}, platform.

/** `[{internal, external, ip, protocol}]` -> ExposedPorts + PortBindings. */
function ports(where: string, list: ContainerIn["ports"]) {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  (list ?? []).forEach((p, n) => {
    onlyKnown(`${where} ports[${n}]`, p, ["internal", "external", "ip", "protocol"]);
    const key = `${required(`${where} ports[${n}].internal`, p.internal)}/${p.protocol ?? "tcp"}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.ip ?? "0.0.0.0", HostPort: p.external ? String(p.external) : "" });
  });
  return { exposed, bindings };
}

/** `volumes` -> Binds / Volumes / VolumesFrom, like the provider's volumeSetToDockerVolumes. */
function volumes(where: string, list: ContainerIn["volumes"]) {
  const binds: string[] = [];
  const anonymous: Record<string, object> = {};
  const from: string[] = [];
  (list ?? []).forEach((v, n) => {
    const w = `${where} volumes[${n}]`;
    onlyKnown(w, v, ["volumeName", "hostPath", "containerPath", "readOnly", "fromContainer", "selinuxRelabel"]);
    if (v.fromContainer) return void from.push(v.fromContainer);
    const target = required(`${w}.containerPath`, v.containerPath);
    const mode = [v.readOnly ? "ro" : "", v.selinuxRelabel ?? ""].filter(Boolean).join(",");
    const source = v.hostPath ?? v.volumeName;
    if (source) binds.push([source, target, mode].filter(Boolean).join(":"));
    else anonymous[target] = {};
  });
  return { binds, anonymous, from };
}

function mounts(where: string, list: ContainerIn["mounts"]) {
  return (list ?? []).map((m, n) => {
    const w = `${where} mounts[${n}]`;
    onlyKnown(w, m, ["type", "target", "source", "readOnly", "bindOptions", "volumeOptions", "tmpfsOptions"]);
    onlyKnown(`${w}.bindOptions`, m.bindOptions, ["propagation"]);
    onlyKnown(`${w}.volumeOptions`, m.volumeOptions, ["noCopy", "labels", "driverName", "driverOptions"]);
    onlyKnown(`${w}.tmpfsOptions`, m.tmpfsOptions, ["sizeBytes", "mode"]);
    const vo = m.volumeOptions;
    return {
      Type: required(`${w}.type`, m.type),
      Target: required(`${w}.target`, m.target),
      Source: m.source,
      ReadOnly: m.readOnly ?? false,
      BindOptions: m.bindOptions && { Propagation: m.bindOptions.propagation },
      VolumeOptions: vo && {
        NoCopy: vo.noCopy ?? false,
        Labels: labelMap(`${w}.volumeOptions.labels`, vo.labels),
        DriverConfig: (vo.driverName || vo.driverOptions) && { Name: vo.driverName, Options: vo.driverOptions },
      },
      TmpfsOptions: m.tmpfsOptions && { SizeBytes: m.tmpfsOptions.sizeBytes, Mode: m.tmpfsOptions.mode },
    };
  });
}

function healthcheck(where: string, h: ContainerIn["healthcheck"]) {
  if (!h) return undefined;
  onlyKnown(`${where} healthcheck`, h, ["tests", "interval", "timeout", "startPeriod", "startInterval", "retries"]);
  return {
    Test: required(`${where} healthcheck.tests`, h.tests),
    Interval: durationNs(`${where} healthcheck.interval`, h.interval) ?? 0,
    Timeout: durationNs(`${where} healthcheck.timeout`, h.timeout) ?? 0,
    StartPeriod: durationNs(`${where} healthcheck.startPeriod`, h.startPeriod) ?? 0,
    StartInterval: durationNs(`${where} healthcheck.startInterval`, h.startInterval) ?? 0,
    Retries: h.retries ?? 0,
  };
}

/** The POST /containers/create body. */
export function createBody(where: string, i: ContainerIn, runId: string) {
  onlyKnown(where, i, CONTAINER_INPUTS);
  if (i.command?.some((c) => c === "")) throw new Error(`${where}: values for command may not be empty`);
  const p = ports(where, i.ports);
  const v = volumes(where, i.volumes);
  onlyKnown(`${where} capabilities`, i.capabilities, ["adds", "drops"]);
  return {
    Image: required(`${where} image`, i.image),
    Cmd: i.command,
    Entrypoint: i.entrypoints,
    Env: i.envs,
    Labels: { ...labelMap(`${where} labels`, i.labels), [RUN_LABEL]: runId },
    User: i.user,
    WorkingDir: i.workingDir,
    Hostname: i.hostname,
    Domainname: i.domainname,
    Tty: i.tty ?? false,
    OpenStdin: i.stdinOpen ?? false,
    StopSignal: i.stopSignal,
    StopTimeout: i.stopTimeout,
    Healthcheck: healthcheck(where, i.healthcheck),
    ExposedPorts: p.exposed,
    Volumes: v.anonymous,
    HostConfig: {
      RestartPolicy: { Name: i.restart ?? "no", MaximumRetryCount: i.maxRetryCount ?? 0 },
      Memory: mb(i.memory),
      MemoryReservation: mb(i.memoryReservation),
      MemorySwap: i.memorySwap !== undefined && i.memorySwap > 0 ? mb(i.memorySwap) : i.memorySwap,
      ShmSize: mb(i.shmSize),
      CpuShares: i.cpuShares,
      CpusetCpus: i.cpuSet,
      NanoCpus: i.cpus === undefined ? undefined : Math.round(Number(i.cpus) * 1e9),
      CpuPeriod: i.cpuPeriod,
      CpuQuota: i.cpuQuota,
      LogConfig: { Type: i.logDriver ?? "json-file", Config: i.logOpts },
      // Schema default "bridge", sent as given (resourceDockerContainerCreate: d.GetOk("network_mode")).
      NetworkMode: i.networkMode ?? "bridge",
      PortBindings: p.bindings,
      Binds: v.binds,
      VolumesFrom: v.from,
      Mounts: mounts(where, i.mounts),
      Tmpfs: i.tmpfs,
      ReadonlyRootfs: i.readOnly ?? false,
      Init: i.init ?? false,
      Privileged: i.privileged ?? false,
      PublishAllPorts: i.publishAllPorts ?? false,
      AutoRemove: i.rm ?? false,
      Runtime: i.runtime,
      CapAdd: i.capabilities?.adds,
      CapDrop: i.capabilities?.drops,
      Dns: i.dns,
      DnsOptions: i.dnsOpts,
      DnsSearch: i.dnsSearches,
      ExtraHosts: (i.hosts ?? []).map((h, n) => {
        onlyKnown(`${where} hosts[${n}]`, h, ["host", "ip"]);
        return `${h.host}:${h.ip}`;
      }),
      SecurityOpt: i.securityOpts,
      Sysctls: i.sysctls,
      Ulimits: (i.ulimits ?? []).map((u, n) => {
        onlyKnown(`${where} ulimits[${n}]`, u, ["name", "soft", "hard"]);
        return { Name: u.name, Soft: u.soft, Hard: u.hard };
      }),
      GroupAdd: i.groupAdds,
      IpcMode: i.ipcMode,
      PidMode: i.pidMode,
      UsernsMode: i.usernsMode,
      CgroupnsMode: i.cgroupnsMode,
      CgroupParent: i.cgroupParent,
      StorageOpt: i.storageOpts,
      Devices: (i.devices ?? []).map((d, n) => {
        onlyKnown(`${where} devices[${n}]`, d, ["hostPath", "containerPath", "permissions"]);
        return { PathOnHost: d.hostPath, PathInContainer: d.containerPath ?? d.hostPath, CgroupPermissions: d.permissions ?? "rwm" };
      }),
    },
  };
}

/** `uploads` -> tar entries, as the provider writes them (mode 0644, 0744 if executable). */
export function uploadFiles(where: string, list: ContainerIn["uploads"], cwd: string): TarFile[] {
  return (list ?? []).map((u, n) => {
    const w = `${where} uploads[${n}]`;
    onlyKnown(w, u, ["file", "content", "contentBase64", "source", "sourceHash", "executable", "permissions", "owner", "group"]);
    const given = [u.content, u.contentBase64, u.source].filter((x) => x !== undefined && x !== null);
    if (given.length !== 1) throw new Error(`${w}: exactly one of content, contentBase64 or source must be set`);
    const content =
      u.content !== undefined && u.content !== null
        ? Buffer.from(u.content, "utf8")
        : u.contentBase64 !== undefined && u.contentBase64 !== null
          ? Buffer.from(u.contentBase64, "base64")
          : readFileSync(resolve(cwd, u.source!));
    const id = (field: "owner" | "group") => {
      const value = u[field];
      if (value === undefined || value === null) return undefined;
      if (!/^\d+$/.test(value)) throw new Error(`${w}.${field}: only numeric ids are supported, got "${value}"`);
      return Number(value);
    };
    if (u.permissions && !/^0?[0-7]{3,4}$/.test(u.permissions)) throw new Error(`${w}.permissions: "${u.permissions}" is not octal`);
    const mode = u.permissions ? parseInt(u.permissions, 8) : u.executable ? 0o744 : 0o644;
    return { name: required(`${w}.file`, u.file), content, mode, uid: id("owner"), gid: id("group") };
  });
}
