import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PackContext } from "../context";
import { isByDigest, isLatest, TYPES } from "./docker";

/**
 * Every container runs an image by content: a pushed repo digest (`…@sha256:`, the release
 * images) or a Docker image id (`sha256:`, a RemoteImage's `imageId`). Outside prod a container
 * may also name a base image by a pinned tag (not `latest`). Every RemoteImage names a pinned
 * base image, since its id is only as fixed as the tag it was pulled by.
 *
 * Limits: a tag other than `latest` (`redis:7.2`) is mutable upstream; the rule checks that a
 * tag is named, not that it never moves. During a preview the release containers' images are
 * unknown (the images are built at `pulumi up`): the SDK reports the rule as not run (advisory)
 * for them, and `pulumi up` checks the real digests.
 */
export function imagePinning(ctx: PackContext): ResourceValidationPolicy {
  return {
    name: "image-pinned-by-digest",
    description: "Containers run images by digest (or, outside prod, a pinned tag); base images are pinned.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      if (args.type === TYPES.container) {
        const image: string = args.props.image;
        if (isByDigest(image)) return;
        if (!ctx.prod && !isLatest(image)) return;
        reportViolation(
          `container "${args.name}" runs image "${image}": use the pushed repo digest (Image.repoDigest) or a RemoteImage's imageId` +
            (ctx.prod ? " (prod runs nothing by tag)" : ", or at least a pinned tag"),
        );
      } else if (args.type === TYPES.remoteImage) {
        const name: string = args.props.name;
        if (isLatest(name)) reportViolation(`RemoteImage "${args.name}" pulls "${name}": name a version tag or a digest, never latest`);
      }
    },
  };
}
