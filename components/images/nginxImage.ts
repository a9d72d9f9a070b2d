import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { templatePath } from "./buildContext";
import { Registry } from "./registry";

export interface NginxImageArgs {
  readonly registry: Registry;
  readonly repository: string;
  readonly version: string;
  /** Application directory; its `public/` directory is the build context. */
  readonly appDir: string;
  readonly baseImage: string;
}

/**
 * The release's nginx image: the app's public assets on the nginx base image, and nothing
 * else. The site configuration (which names the release's php-fpm alias) is uploaded into each
 * container, so a backend-only release neither rebuilds nor re-tags this image.
 */
export class NginxImage extends pulumi.ComponentResource {
  readonly imageName: pulumi.Output<string>;
  readonly repoDigest: pulumi.Output<string>;
  /** `<version>-<content hash>`: a new tag whenever what is built changes. */
  readonly tag: string;

  constructor(name: string, args: NginxImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:images:NginxImage", name, {}, opts);
    const image = args.registry.push(this, name, args.repository, args.version, {
      context: path.join(args.appDir, "public"),
      dockerfile: templatePath("nginx", "Dockerfile"),
      args: { NGINX_BASE_IMAGE: args.baseImage },
    });
    this.tag = image.tag;
    this.imageName = image.resource.imageName;
    this.repoDigest = image.resource.repoDigest;
    this.registerOutputs({ imageName: this.imageName, repoDigest: this.repoDigest, tag: this.tag });
  }
}
