import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PackContext } from "../context";
import { CREDENTIAL_NAME } from "./containerHardening";
import { isByDigest, isLatest, roleOf, TYPES } from "./docker";

/** Release roles: the swarm rolls them out, so a failed rollout must roll back. */
const RELEASE_ROLES = ["php-fpm", "app-nginx", "worker", "scheduler"];

/** What a swarm service lacks or does wrong, by name; empty when it is fine. */
export function serviceProblems(props: Record<string, any>, ctx: PackContext): string[] {
  const task = props.taskSpec ?? {};
  const spec = task.containerSpec ?? {};
  const role = roleOf(props);
  const problems: string[] = [];
  const image: string = spec.image ?? "";
  if (!isByDigest(image) && (ctx.prod || isLatest(image))) problems.push(`image "${image}" is not pinned by digest${ctx.prod ? " (prod runs nothing by tag)" : " or a version tag"}`);
  if (!(task.resources?.limits?.memoryBytes > 0) || !(task.resources?.limits?.nanoCpus > 0)) problems.push("memory and CPU limits");
  if (!["any", "on-failure"].includes(task.restartPolicy?.condition)) problems.push("a restart policy (any or on-failure)");
  const tests: string[] = spec.healthcheck?.tests ?? [];
  if (tests.length === 0 || tests[0] === "NONE") problems.push("a health check");
  const log = task.logDriver ?? {};
  if (log.name !== "json-file" || !log.options?.["max-size"] || !log.options?.["max-file"]) problems.push("json-file log rotation (max-size and max-file)");
  if (RELEASE_ROLES.includes(role ?? "") && props.updateConfig?.failureAction !== "rollback") problems.push("updateConfig.failureAction rollback (a failed rollout must roll back)");
  for (const name of Object.keys(spec.env ?? {})) {
    if (CREDENTIAL_NAME.test(name)) problems.push(`no credential in its environment (${name}): hand it over as a Docker secret file`);
  }
  for (const port of props.endpointSpec?.ports ?? []) {
    if (role !== "edge") problems.push(`no published port (${port.publishedPort}): only the edge publishes`);
    else if (port.publishMode !== "host") problems.push(`host-mode publishing of port ${port.publishedPort} (no routing mesh)`);
  }
  return problems;
}

/**
 * engine=swarm: every service runs a pinned image with limits, a restart policy, a health check
 * and rotated logs; release services roll back a failed rollout; no service carries a
 * credential in its environment (secrets are Docker secret files); only edges publish, in host
 * mode. Limits: like the container rules, it checks presence, not fitness.
 */
export function swarmServices(ctx: PackContext): ResourceValidationPolicy {
  return {
    name: "swarm-service-runtime",
    description: "Swarm services: pinned images, limits, restart, health check, rotated logs, rollback on failure, secrets as files, only the edge publishes.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      if (args.type !== TYPES.service) return;
      const problems = serviceProblems(args.props, ctx);
      if (problems.length > 0) reportViolation(`service "${args.name}" (role ${roleOf(args.props) ?? "none"}) needs: ${problems.join("; ")}`);
    },
  };
}
