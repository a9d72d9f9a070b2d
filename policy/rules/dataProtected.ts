import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PackContext } from "../context";

/** What holds data a deploy cannot recreate: volumes (uploads, Redis, the database) and the ACR repositories. */
export const DATA_TYPES = [
  "docker:index/volume:Volume",
  "alicloud:cr/namespace:Namespace",
  "alicloud:cr/repo:Repo",
  "alicloud:cs/registryEnterpriseNamespace:RegistryEnterpriseNamespace",
  "alicloud:cs/registryEnterpriseRepo:RegistryEnterpriseRepo",
];

/**
 * Where data is kept (dev, prod): every resource holding data is `protect`ed, so neither
 * `pulumi destroy`, a stack rename nor a changed setting that would replace it can delete it
 * without an explicit `pulumi state unprotect` first. (@pulumi/policy shows a resource's
 * `protect`, not its `retainOnDelete`.)
 */
export function dataProtected(ctx: PackContext): ResourceValidationPolicy {
  return {
    name: "data-protected",
    description: "Volumes and registry repositories are protected where the stack keeps data (dev, prod).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      if (!ctx.protectData || !DATA_TYPES.includes(args.type)) return;
      if (args.opts.protect !== true) {
        reportViolation(`${args.type.split(":").pop()} "${args.name}" holds data and is not protected: declare it with protect: true`);
      }
    },
  };
}
