import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PackContext } from "../context";
import { isByDigest, isLatest, TYPES } from "./docker";

/** Every image name a resource states, with where it states it. */
function imageNames(type: string, props: Record<string, any>): [string, string][] {
  if (type === TYPES.image) {
    const args = Object.entries(props.build?.args ?? {}).filter(([arg, v]) => /IMAGE$/.test(arg) && typeof v === "string");
    return [["imageName", props.imageName], ...args.map(([arg, v]): [string, string] => [`build arg ${arg}`, v as string])];
  }
  if (type === TYPES.remoteImage) return [["name", props.name]];
  if (type === TYPES.container && !isByDigest(props.image)) return [["image", props.image]];
  return [];
}

/**
 * In prod no image is named by `latest` (said or implied by a missing tag): not a pushed
 * release image, not a pulled base image, not a base image passed to a build (build args
 * whose name ends in IMAGE, e.g. BASE_IMAGE, NGINX_BASE_IMAGE).
 *
 * Limits: a base image a Dockerfile names itself (`FROM php:latest`) is not seen, only the ones
 * passed as build args; the program already refuses `version=latest` in prod, so this guards
 * the base-image keys and any later change to the program.
 */
export function noLatest(ctx: PackContext): ResourceValidationPolicy {
  return {
    name: "prod-no-latest-tag",
    description: "In prod, no image is named by the latest tag.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      if (!ctx.prod) args.notApplicable(`stack "${ctx.stack}" is not prod`);
      for (const [where, name] of imageNames(args.type, args.props)) {
        if (typeof name === "string" && isLatest(name)) {
          reportViolation(`${args.type.split(":").pop()} "${args.name}": ${where} "${name}" is latest; prod names a version you can roll back to`);
        }
      }
    },
  };
}
