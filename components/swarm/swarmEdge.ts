import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { APP_ALIAS, APP_HTTP_PORT, EDGE_ALIAS, EDGE_CERTIFICATE_FILE, EDGE_HEALTH_PATH, EDGE_HTTPS_PORT, NGINX_SITE_FILE } from "../../release/names";
import { renderEdge } from "../../release/render/edgeSite";
import { httpHealth } from "../../release/roles";
import { EdgeSettings } from "../../stacks/types";
import { SwarmConfigs, SwarmSecrets } from "./swarmFiles";
import { shellHealthcheck } from "../docker/containerSpec";
import { pinned, SERVICE_REPLACEMENT, serviceArgs, SwarmContext } from "./swarmSpec";

const KEY_SECRET = "/run/secrets/edge-tls.key";

export interface SwarmEdgeArgs {
  readonly ctx: SwarmContext;
  readonly secrets: SwarmSecrets;
  readonly configs: SwarmConfigs;
  /** nginx image of the edge (the public nginx base image). */
  readonly image: string;
  readonly edge: EdgeSettings;
  readonly memoryMb: number;
}

/**
 * One edge proxy per edge node, publishing the edge ports in host mode on that node (no routing
 * mesh): a load balancer in front spreads over the nodes. Each resolves the app nginx tasks
 * from the swarm's DNS per request, so tasks come and go behind it during a release.
 */
export class SwarmEdge extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: SwarmEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:swarm:Edge", name, {}, opts);
    const { ctx, edge } = args;
    const site = renderEdge({
      upstreamHost: APP_ALIAS, upstreamPort: APP_HTTP_PORT, healthPath: EDGE_HEALTH_PATH, appHealthPath: edge.appHealthPath,
      publicOrigin: edge.publicOrigin, hostAliases: edge.hostAliases, maxBodySizeMb: edge.maxBodySizeMb,
      tls: edge.tls && { certificateFile: EDGE_CERTIFICATE_FILE, keyFile: KEY_SECRET },
      behindLoadBalancer: edge.behindLoadBalancer,
    });
    const configs = [args.configs.file("edge-site", site, NGINX_SITE_FILE)];
    if (edge.tls) configs.push(args.configs.file("edge-certificate", edge.tls.certificate, EDGE_CERTIFICATE_FILE));
    const secrets = edge.tls ? [args.secrets.file("edge-tls-key", edge.tls.key, KEY_SECRET)] : [];
    const ports = [
      { targetPort: APP_HTTP_PORT, publishedPort: edge.httpPort, publishMode: "host", protocol: "tcp" },
      ...(edge.tls ? [{ targetPort: EDGE_HTTPS_PORT, publishedPort: edge.httpsPort, publishMode: "host", protocol: "tcp" }] : []),
    ];
    for (const node of ctx.swarm.edgeNodes) {
      new docker.Service(
        `${name}-${node}`,
        serviceArgs(ctx, {
          name: `edge-${node}`, role: "edge", replicas: 1,
          containerSpec: {
            image: args.image, configs, secrets,
            healthcheck: shellHealthcheck(httpHealth(EDGE_HEALTH_PATH)),
            stopSignal: "SIGQUIT", stopGracePeriod: "10s",
          },
          memoryMb: args.memoryMb, aliases: [EDGE_ALIAS], placement: pinned(node),
          // A host port is bound once per node: the old task goes before the new one starts.
          rollout: "stop-first",
          ports,
        }),
        { parent: this, ...SERVICE_REPLACEMENT },
      );
    }
    this.url = pulumi.output(`${edge.publicOrigin}/`);
    this.registerOutputs({ url: this.url });
  }
}
