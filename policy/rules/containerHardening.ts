import type { ResourceValidationPolicy } from "@pulumi/policy";
import { roleOf, TYPES } from "./docker";
import { known } from "./secrets";

/**
 * Capabilities a role may add back after dropping ALL: Docker's default set without the ones no
 * role here needs (NET_RAW, MKNOD, AUDIT_WRITE, SYS_CHROOT, SETFCAP, SETPCAP).
 */
export const ALLOWED_CAP_ADDS = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "NET_BIND_SERVICE"];
/** Roles that run as a non-root user (their process never needs root). */
export const NON_ROOT_ROLES = ["worker", "scheduler", "migrate", "redis", "redis-sentinel"];
/** Roles whose root filesystem is read-only (what they write is on tmpfs or a volume). */
export const READ_ONLY_ROLES = ["edge", "app-nginx", "redis-router"];
/** A variable name that holds a credential (a *_FILE variable holds a path to one, which is fine). */
export const CREDENTIAL_NAME = /(PASSWORD|SECRET|TOKEN|APP_KEY|PRIVATE_KEY|AUTH)(?!.*_FILE$)/;

const isRoot = (user: unknown) => typeof user !== "string" || /^(|root|0)(:.*)?$/.test(user);
const upper = (caps: unknown): string[] => (Array.isArray(caps) ? caps.map((c) => String(c).toUpperCase().replace(/^CAP_/, "")) : []);

function capabilityProblems(drops: string[], adds: string[]): string[] {
  const problems: string[] = [];
  if (!drops.includes("ALL")) problems.push("capabilities.drops [ALL]");
  const extra = adds.filter((c) => !ALLOWED_CAP_ADDS.includes(c));
  if (extra.length > 0) problems.push(`no added capability beyond ${ALLOWED_CAP_ADDS.join(", ")} (adds ${extra.join(", ")})`);
  return problems;
}

function roleProblems(role: string | undefined, user: unknown, readOnly: unknown): string[] {
  const problems: string[] = [];
  if (NON_ROOT_ROLES.includes(role ?? "") && isRoot(user)) problems.push(`a non-root user (has ${typeof user === "string" && user !== "" ? user : "the image's default"})`);
  if (READ_ONLY_ROLES.includes(role ?? "") && readOnly !== true) problems.push("a read-only root filesystem (readOnly: true)");
  return problems;
}

/** What a container does wrong for the runtime rules, by name; empty when it is fine. */
export function containerHardeningProblems(props: Record<string, any>): string[] {
  const role = roleOf(props);
  const caps = known(() => props.capabilities) ?? {};
  const problems = capabilityProblems(upper(caps.drops), upper(caps.adds));
  const securityOpts: string[] = known(() => props.securityOpts) ?? [];
  if (!securityOpts.some((o) => /^no-new-privileges(:true)?$/.test(o))) problems.push('securityOpts "no-new-privileges:true"');
  for (const o of securityOpts) if (/unconfined|label[:=]disable/.test(o)) problems.push(`no weakened confinement (securityOpts "${o}")`);
  if (props.privileged === true) problems.push("not privileged");
  for (const mode of ["pidMode", "ipcMode", "usernsMode"]) if (props[mode] === "host") problems.push(`no host ${mode}`);
  if ((props.devices ?? []).length > 0) problems.push("no host devices");
  for (const v of known(() => props.volumes) ?? []) if (v?.hostPath) problems.push(`no host path mount (${v.hostPath})`);
  problems.push(...roleProblems(role, known(() => props.user), props.readOnly));
  const envs: unknown[] = known(() => props.envs) ?? [];
  for (const e of envs) {
    const name = typeof e === "string" ? e.split("=")[0] : "";
    if (CREDENTIAL_NAME.test(name)) problems.push(`no credential in its environment (${name}): hand it over as a 0400 file`);
  }
  return problems;
}

/** The same rules for a swarm service, as far as the provider can state them (no no-new-privileges knob). */
export function serviceHardeningProblems(props: Record<string, any>): string[] {
  const spec = known(() => props.taskSpec?.containerSpec) ?? {};
  const problems = capabilityProblems(upper(spec.capDrops), upper(spec.capAdds));
  problems.push(...roleProblems(roleOf(props), spec.user, spec.readOnly));
  return problems;
}

/**
 * Every container drops all capabilities and adds back only harmless ones, runs with
 * no-new-privileges, is never privileged or in a host namespace, mounts no host path and keeps
 * no credential in its environment; workers, the scheduler, the migration and Redis run as a
 * non-root user; the edge, app nginx and the Redis routers have a read-only root filesystem.
 * Swarm services: the same capabilities, users and read-only roots (pulumi-docker 5.2.0 services
 * have no no-new-privileges setting). No pids limit is checked: the provider has none to set.
 */
export function containerHardening(): ResourceValidationPolicy {
  return {
    name: "container-runtime-hardening",
    description: "Containers and services drop all capabilities, set no-new-privileges, run as non-root where they can, read-only roots for the proxies, no credentials in env.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      const problems = args.type === TYPES.container ? containerHardeningProblems(args.props)
        : args.type === TYPES.service ? serviceHardeningProblems(args.props) : [];
      const kind = args.type === TYPES.container ? "container" : "service";
      if (problems.length > 0) reportViolation(`${kind} "${args.name}" (role ${roleOf(args.props) ?? "none"}) needs: ${problems.join("; ")}`);
    },
  };
}
