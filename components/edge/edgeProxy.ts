import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { APP_ALIAS, APP_HTTP_PORT, EDGE_ALIAS, EDGE_HEALTH_PATH, NGINX_SITE_FILE } from "../../release/names";
import { renderEdge } from "../../release/render/nginxSite";
import { httpHealth } from "../../release/roles";
import { EdgeSettings } from "../../stacks/types";
import { ContainerContext, CREATE_FIRST, DELETE_FIRST, labels, longRunning, shellHealthcheck, stackNetwork } from "../docker/containerSpec";

export interface EdgeProxyArgs {
  readonly ctx: ContainerContext;
  /** nginx image of the edge (the public nginx base image, not a release image). */
  readonly image: string;
  readonly edge: EdgeSettings;
  readonly memoryMb: number;
}

/**
 * The only container that publishes host ports. It is not part of a release: a version bump
 * never touches it, so the port stays bound while release containers come and go behind it.
 */
export class EdgeProxy extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly config: string;

  constructor(name: string, args: EdgeProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:edge:EdgeProxy", name, {}, opts);
    this.config = renderEdge({ upstreamHost: APP_ALIAS, upstreamPort: APP_HTTP_PORT, healthPath: EDGE_HEALTH_PATH });
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, { parent: this, ...CREATE_FIRST });
    new docker.Container(
      name,
      {
        name: `${args.ctx.stack}-edge`,
        image: image.imageId,
        uploads: [{ file: NGINX_SITE_FILE, content: this.config }],
        ports: [{ internal: APP_HTTP_PORT, external: args.edge.httpPort, ip: args.edge.bindAddress }],
        labels: labels(args.ctx.stack, "edge"),
        healthcheck: shellHealthcheck(httpHealth(EDGE_HEALTH_PATH)),
        stopSignal: "SIGQUIT",
        destroyGraceSeconds: 10,
        ...longRunning(args.ctx, args.memoryMb, stackNetwork(args.ctx, [EDGE_ALIAS])),
      },
      // A fixed host port: a replacement can only start once the old container is gone.
      { parent: this, ...DELETE_FIRST },
    );
    const host = args.edge.bindAddress === "0.0.0.0" ? "localhost" : args.edge.bindAddress;
    this.url = pulumi.output(`http://${host}:${args.edge.httpPort}/`);
    this.registerOutputs({ url: this.url, config: this.config });
  }
}
