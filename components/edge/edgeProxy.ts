import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { APP_ALIAS, APP_HTTP_PORT, EDGE_ALIAS, EDGE_CERTIFICATE_FILE, EDGE_HEALTH_PATH, EDGE_HTTPS_PORT, EDGE_KEY_FILE, NGINX_SITE_FILE } from "../../release/names";
import { renderEdge } from "../../release/render/edgeSite";
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
    const { edge } = args;
    this.config = renderEdge({
      upstreamHost: APP_ALIAS, upstreamPort: APP_HTTP_PORT, healthPath: EDGE_HEALTH_PATH, appHealthPath: edge.appHealthPath,
      publicOrigin: edge.publicOrigin, hostAliases: edge.hostAliases, maxBodySizeMb: edge.maxBodySizeMb,
      tls: edge.tls && { certificateFile: EDGE_CERTIFICATE_FILE, keyFile: EDGE_KEY_FILE },
      behindLoadBalancer: edge.behindLoadBalancer,
    });
    const tlsFiles = edge.tls
      ? [{ file: EDGE_CERTIFICATE_FILE, content: edge.tls.certificate }, { file: EDGE_KEY_FILE, content: pulumi.secret(edge.tls.key) }]
      : [];
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, { parent: this, ...CREATE_FIRST });
    new docker.Container(
      name,
      {
        name: `${args.ctx.stack}-edge`,
        image: image.imageId,
        uploads: [{ file: NGINX_SITE_FILE, content: this.config }, ...tlsFiles],
        ports: [
          { internal: APP_HTTP_PORT, external: edge.httpPort, ip: edge.bindAddress },
          ...(edge.tls ? [{ internal: EDGE_HTTPS_PORT, external: edge.httpsPort, ip: edge.bindAddress }] : []),
        ],
        labels: labels(args.ctx.stack, "edge"),
        healthcheck: shellHealthcheck(httpHealth(EDGE_HEALTH_PATH)),
        stopSignal: "SIGQUIT",
        destroyGraceSeconds: 10,
        ...longRunning(args.ctx, args.memoryMb, stackNetwork(args.ctx, [EDGE_ALIAS])),
      },
      // Fixed host ports: a replacement can only start once the old container is gone.
      { parent: this, ...DELETE_FIRST },
    );
    const host = edge.bindAddress === "0.0.0.0" ? "localhost" : edge.bindAddress;
    this.url = pulumi.output(edge.tls ? `https://${host}:${edge.httpsPort}/` : `http://${host}:${edge.httpPort}/`);
    this.registerOutputs({ url: this.url, config: this.config });
  }
}
