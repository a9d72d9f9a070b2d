import * as pulumi from "@pulumi/pulumi";
import { templatePath } from "./buildContext";
import { Registry } from "./registry";

export interface BackendImageArgs {
  readonly registry: Registry;
  /** Repository name under the registry namespace, e.g. `laravel-backend`. */
  readonly repository: string;
  /** Release version: the image tag. */
  readonly version: string;
  /** Application source directory: the build context. */
  readonly appDir: string;
  /** The team's own Dockerfile; undefined: templates/backend/Dockerfile. */
  readonly dockerfile?: string;
  /** Base image (Debian bookworm); PHP and Laravel come from Debian packages. */
  readonly baseImage: string;
}

/**
 * The php-fpm + application image of one release, built with the Dockerfile this project ships
 * and pushed. Consumers use `repoDigest`, so a re-pushed tag never changes what runs.
 */
export class BackendImage extends pulumi.ComponentResource {
  readonly imageName: pulumi.Output<string>;
  /** `<registry>/<namespace>/<repository>@sha256:...` */
  readonly repoDigest: pulumi.Output<string>;
  /** `<version>-<content hash>`: a new tag whenever what is built changes. */
  readonly tag: string;

  constructor(name: string, args: BackendImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:images:BackendImage", name, {}, opts);
    const image = args.registry.push(this, name, args.repository, args.version, {
      context: args.appDir,
      dockerfile: args.dockerfile ?? templatePath("backend", "Dockerfile"),
      // Only non-secret build arguments: secrets reach containers as environment at run time.
      args: { BASE_IMAGE: args.baseImage },
    });
    this.tag = image.tag;
    this.imageName = image.resource.imageName;
    this.repoDigest = image.resource.repoDigest;
    this.registerOutputs({ imageName: this.imageName, repoDigest: this.repoDigest, tag: this.tag });
  }
}
