import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { checkBuildContext, templatePath } from "./buildContext";
import { Registry } from "./registry";

export interface BackendImageArgs {
  readonly registry: Registry;
  /** Repository name under the registry namespace, e.g. `laravel-backend`. */
  readonly repository: string;
  /** Release version: the image tag. */
  readonly version: string;
  /** Application source directory: the build context. */
  readonly appDir: string;
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

  constructor(name: string, args: BackendImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:images:BackendImage", name, {}, opts);
    const problems = checkBuildContext(args.appDir);
    if (problems.length > 0) throw new Error(`Cannot build the backend image:\n  - ${problems.join("\n  - ")}`);

    const image = new docker.Image(
      name,
      {
        imageName: args.registry.imageName(args.repository, args.version),
        build: {
          context: args.appDir,
          dockerfile: templatePath("backend", "Dockerfile"),
          // Only non-secret build arguments: secrets reach containers as environment at run time.
          args: { BASE_IMAGE: args.baseImage },
          platform: "linux/amd64",
        },
        registry: args.registry.credentials(),
      },
      { parent: this, dependsOn: args.registry.ready },
    );
    this.imageName = image.imageName;
    this.repoDigest = image.repoDigest;
    this.registerOutputs({ imageName: this.imageName, repoDigest: this.repoDigest });
  }
}
