import * as pulumi from "@pulumi/pulumi";
import { templatePath } from "./buildContext";
import { Registry } from "./registry";
import { renderAppSite } from "./render/nginxSite";

export const APP_ROOT = "/var/www/app";
export const NGINX_HEALTH_PATH = "/nginx-health";

export interface NginxImageArgs {
  readonly registry: Registry;
  readonly repository: string;
  readonly version: string;
  /** The backend image (by digest) whose `public/` directory the nginx image carries. */
  readonly backendImage: pulumi.Input<string>;
  readonly baseImage: string;
  /** Network alias of the php-fpm containers this release's nginx sends PHP requests to. */
  readonly fpmHost: string;
  readonly fpmPort: number;
}

/**
 * The release's nginx image: the app's public assets copied out of the backend image in a
 * multi-stage build, plus a rendered site config pointing at this release's php-fpm alias.
 * nginx and php-fpm share no volume.
 */
export class NginxImage extends pulumi.ComponentResource {
  readonly imageName: pulumi.Output<string>;
  readonly repoDigest: pulumi.Output<string>;
  /** The rendered site configuration baked into the image. */
  readonly siteConfig: string;

  constructor(name: string, args: NginxImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:images:NginxImage", name, {}, opts);
    this.siteConfig = renderAppSite({
      fpmHost: args.fpmHost,
      fpmPort: args.fpmPort,
      root: `${APP_ROOT}/public`,
      healthPath: NGINX_HEALTH_PATH,
    });
    const image = args.registry.push(this, name, args.repository, args.version, {
      context: templatePath("nginx"),
      dockerfile: templatePath("nginx", "Dockerfile"),
      args: {
        APP_IMAGE: args.backendImage,
        NGINX_BASE_IMAGE: args.baseImage,
        SITE_CONFIG_B64: Buffer.from(this.siteConfig).toString("base64"),
      },
    });
    this.imageName = image.imageName;
    this.repoDigest = image.repoDigest;
    this.registerOutputs({ imageName: this.imageName, repoDigest: this.repoDigest });
  }
}
