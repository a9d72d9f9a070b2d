import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { REDIS_PORT, REDIS_ROUTER_ALIAS } from "../../release/names";
import { renderRedisRouter, routerHealthCommand } from "../../release/render/redisRouter";
import { ContainerContext, CREATE_FIRST, labels, longRunning, shellHealthcheck, stackNetwork } from "../docker/containerSpec";

const CONFIG_FILE = "/usr/local/etc/haproxy/haproxy.cfg";

export interface RedisRouterArgs {
  readonly ctx: ContainerContext;
  /** HAProxy image. */
  readonly image: string;
  readonly replicas: number;
  /** Aliases of the Redis data nodes. */
  readonly nodes: readonly string[];
  /** Secret. */
  readonly password: pulumi.Input<string>;
  readonly memoryMb: number;
  /** The Redis set: routers start once its nodes and sentinels exist. */
  readonly after: pulumi.Resource[];
}

/**
 * HAProxy containers behind one alias, `redis:6379`, that always lead to the current Redis
 * master: the address for clients that do not speak to sentinels (Laravel's stock config).
 */
export class RedisRouter extends pulumi.ComponentResource {
  /** Host and port the app connects to. */
  readonly host: string;
  readonly port: number;

  constructor(name: string, args: RedisRouterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:redis:RedisRouter", name, {}, opts);
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, { parent: this, ...CREATE_FIRST });
    // The config holds the password: secret as a whole.
    const config = pulumi.secret(pulumi.output(args.password).apply((password) => renderRedisRouter({ nodes: args.nodes, password })));
    for (let i = 0; i < args.replicas; i++) {
      new docker.Container(
        `${name}-${i}`,
        {
          image: image.imageId,
          uploads: [{ file: CONFIG_FILE, content: config }],
          // The image's own user (haproxy:2.4 and later run as haproxy). Stated, since the provider
          // reads the user back and a difference would replace the container on every update.
          user: "haproxy",
          labels: labels(args.ctx.stack, "redis-router"),
          healthcheck: shellHealthcheck(routerHealthCommand()),
          stopSignal: "SIGUSR1",
          destroyGraceSeconds: 10,
          ...longRunning(args.ctx, args.memoryMb, stackNetwork(args.ctx, [REDIS_ROUTER_ALIAS])),
        },
        // No fixed name or port: a new router serves before the old one goes.
        { parent: this, dependsOn: args.after, ...CREATE_FIRST },
      );
    }
    this.host = REDIS_ROUTER_ALIAS;
    this.port = REDIS_PORT;
    this.registerOutputs({ host: this.host, port: this.port });
  }
}
