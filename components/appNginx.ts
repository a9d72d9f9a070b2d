import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerContext, CREATE_FIRST, labels, longRunning, RELEASE_LABEL, shellHealthcheck, stackNetwork } from "./containerSpec";
import { NGINX_HEALTH_PATH } from "./nginxImage";

export const APP_ALIAS = "app";

export interface AppNginxArgs {
  readonly ctx: ContainerContext;
  /** The release nginx image by digest. */
  readonly image: pulumi.Input<string>;
  readonly release: string;
  readonly replicas: number;
  readonly memoryMb: number;
  /** Release resources that must be up first (the php-fpm containers and the migration). */
  readonly after: pulumi.Input<pulumi.Resource>[];
}

/** The release's nginx containers, all behind the `app` alias the edge proxies to. */
export class AppNginx extends pulumi.ComponentResource {
  readonly containers: docker.Container[];

  constructor(name: string, args: AppNginxArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:app:AppNginx", name, {}, opts);
    this.containers = Array.from({ length: args.replicas }, (_, i) =>
      new docker.Container(
        `${name}-${i}`,
        {
          image: args.image,
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
    this.registerOutputs({});
  }
}
