import type { ResourceValidationPolicy } from "@pulumi/policy";
import { roleOf, TYPES } from "./docker";

const RESTARTS = ["always", "unless-stopped", "on-failure"];

/** What a long-running container lacks, by name; empty when it has everything. */
export function missingRuntimeSettings(props: Record<string, any>): string[] {
  const missing: string[] = [];
  if (!(typeof props.memory === "number" && props.memory > 0)) missing.push("memory limit");
  if (!(Number(props.cpus) > 0)) missing.push("cpus limit");
  if (!RESTARTS.includes(props.restart)) missing.push(`restart policy (${RESTARTS.join(", ")}; has ${props.restart ?? "none"})`);
  const tests: string[] = props.healthcheck?.tests ?? [];
  if (tests.length === 0 || tests[0] === "NONE") missing.push("health check");
  const logOpts: Record<string, string> = props.logOpts ?? {};
  if (props.logDriver !== "json-file" || !logOpts["max-size"] || !logOpts["max-file"]) {
    missing.push("json-file log rotation (max-size and max-file)");
  }
  return missing;
}

/**
 * Every long-running container has memory and CPU limits, a restart policy, a health check and
 * rotated json-file logs. The migration (role `migrate`, run to completion with `attach`) is not
 * long-running and is skipped.
 *
 * Limits: it checks that the settings are present, not that they fit the workload; a health
 * check that always succeeds passes.
 */
export function longRunning(): ResourceValidationPolicy {
  return {
    name: "long-running-limits",
    description: "Long-running containers have memory and cpus limits, a restart policy, a health check and rotated logs.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      if (args.type !== TYPES.container) return;
      const role = roleOf(args.props);
      if (role === "migrate" && args.props.attach === true) return;
      const missing = missingRuntimeSettings(args.props);
      if (missing.length > 0) reportViolation(`container "${args.name}" (role ${role ?? "none"}) lacks: ${missing.join(", ")}`);
    },
  };
}
