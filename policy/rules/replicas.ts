import type { StackValidationPolicy } from "@pulumi/policy";
import type { PackContext } from "../context";
import { containersWithRole } from "./docker";

/** The roles that serve requests, and the fewest replicas prod should run of each. */
export const SERVING_ROLES = ["php-fpm", "app-nginx"] as const;
export const MIN_PROD_REPLICAS = 2;

/**
 * In prod every serving role runs at least two containers, so a release (create-first) and a
 * crashed replica never leave the site without one. Counted over the whole stack by the role
 * label, so it is a stack policy.
 *
 * Limits: it counts containers, not hosts: two replicas on the one Docker host of a stack still
 * share its fate. Advisory: one replica is a choice a small site may make.
 */
export function replicas(ctx: PackContext): StackValidationPolicy {
  return {
    name: "prod-serving-replicas",
    description: `In prod, php-fpm and app nginx run at least ${MIN_PROD_REPLICAS} replicas each.`,
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
      if (!ctx.prod) args.notApplicable(`stack "${ctx.stack}" is not prod`);
      for (const role of SERVING_ROLES) {
        const count = containersWithRole(args.resources, role).length;
        if (count < MIN_PROD_REPLICAS) {
          reportViolation(`${count} ${role} container(s) in prod: run at least ${MIN_PROD_REPLICAS} (fpmReplicas / nginxReplicas)`);
        }
      }
    },
  };
}
