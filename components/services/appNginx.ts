import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerContext, CREATE_FIRST, labels, longRunning, RELEASE_LABEL, shellHealthcheck, stackNetwork } from "../docker/containerSpec";
import { APP_ROOT, NGINX_HEALTH_PATH } from "../images/nginxImage";
import { renderAppSite } from "../../release/render/nginxSite";

const SITE_CONFIG_FILE = "/etc/nginx/conf.d/default.conf";

export const APP_ALIAS = "app";

export interface AppNginxArgs {
  readonly ctx: ContainerContext;
  /** The release nginx image by digest. */
  readonly image: pulumi.Input<string>;
  readonly release: string;
  /** Network alias and port of this release's php-fpm containers. */
  readonly fpmHost: string;
  readonly fpmPort: number;
  readonly replicas: number;
  readonly memoryMb: number;
  /** Release resources that must be up first (the php-fpm containers and the migration). */
  readonly after: pulumi.Input<pulumi.Resource>[];
}

/** The release's nginx containers, all behind the `app` alias the edge proxies to. */
export class AppNginx extends pulumi.ComponentResource {
  readonly containers: docker.Container[];
  /** The site configuration uploaded into each container. */
  readonly siteConfig: string;

  constructor(name: string, args: AppNginxArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:app:AppNginx", name, {}, opts);
    this.siteConfig = renderAppSite({
      fpmHost: args.fpmHost,
      fpmPort: args.fpmPort,
      root: `${APP_ROOT}/public`,
      healthPath: NGINX_HEALTH_PATH,
    });
    this.containers = Array.from({ length: args.replicas }, (_, i) =>
      new docker.Container(
        `${name}-${i}`,
        {
          image: args.image,
          uploads: [{ file: SITE_CONFIG_FILE, content: this.siteConfig }],
          labels: labels(args.ctx.stack, "app-nginx", { [RELEASE_LABEL]: args.release }),
          healthcheck: shellHealthcheck(`curl -fsS http://127.0.0.1${NGINX_HEALTH_PATH} > /dev/null`),
          // nginx drains open connections on SIGQUIT.
          stopSignal: "SIGQUIT",
          destroyGraceSeconds: 30,
          ...longRunning(args.ctx, args.memoryMb, stackNetwork(args.ctx, [APP_ALIAS])),
        },
        { parent: this, dependsOn: args.after, ...CREATE_FIRST },
      ),
    );
    this.registerOutputs({ siteConfig: this.siteConfig });
  }
}
