import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { INITIAL_MASTER_ALIAS, REDIS_DATA_DIR, REDIS_PORT, REDIS_ROUTER_ALIAS, redisNodeAlias, SENTINEL_PORT, sentinelAlias } from "../../release/names";
import { redisHealthCommand, renderNodeStart, renderRedisNode, renderSentinel } from "../../release/render/redis";
import { renderRedisRouter, routerHealthCommand } from "../../release/render/redisRouter";
import { RedisSettings } from "../../stacks/types";
import { secretEnvFile, SwarmSecrets } from "./swarmFiles";
import { shellHealthcheck } from "../docker/containerSpec";
import { pinned, SERVICE_REPLACEMENT, serviceArgs, ServiceShape, spread, SwarmContext, volumeMount } from "./swarmSpec";

const PASSWORD_FILE = secretEnvFile("REDIS_PASSWORD");
const NODE_CONFIG_SECRET = "/run/secrets/redis.conf";
const NODE_CONFIG_FILE = "/usr/local/etc/redis/redis.conf";
const SENTINEL_CONFIG_SECRET = "/run/secrets/sentinel.conf";
const SENTINEL_CONFIG_FILE = `${REDIS_DATA_DIR}/sentinel.conf`;
const ROUTER_CONFIG_SECRET = "/run/secrets/haproxy.cfg";
/** redis-cli authenticates from REDISCLI_AUTH; on the swarm it comes from the secret file. */
const AUTH_FROM_FILE = `REDISCLI_AUTH="$(cat ${PASSWORD_FILE})"`;

export interface SwarmRedisArgs {
  readonly ctx: SwarmContext;
  readonly secrets: SwarmSecrets;
  readonly image: string;
  readonly routerImage: string;
  readonly redis: RedisSettings;
  /** Secret. */
  readonly password: pulumi.Input<string>;
  readonly memoryMb: number;
}

/**
 * The Redis set on a swarm: node i and sentinel i pinned to the i-th of `swarmRedisNodes` (so
 * losing a node loses one of each, and the others fail over), each node with its own volume
 * there; the routers spread over the nodes. Every file holding the password is a Docker secret.
 */
export class SwarmRedis extends pulumi.ComponentResource {
  readonly sentinelAddresses: string[];
  readonly nodes: string[];
  readonly serviceName: string;
  readonly router: { readonly host: string; readonly port: number };

  constructor(name: string, args: SwarmRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:swarm:Redis", name, {}, opts);
    const { ctx, redis, secrets } = args;
    const password = pulumi.secret(args.password);
    const passwordFile = secrets.file("REDIS_PASSWORD", password, PASSWORD_FILE);
    const placesOf = ctx.swarm.redisNodes;
    const service = (resourceName: string, alias: string, role: string, node: string, spec: ServiceShape["containerSpec"], dependsOn: pulumi.Resource[] = []) =>
      new docker.Service(
        resourceName,
        serviceArgs(ctx, {
          name: alias, role, replicas: 1,
          containerSpec: { hostname: alias, dir: REDIS_DATA_DIR, ...spec },
          memoryMb: args.memoryMb, aliases: [alias], placement: pinned(node),
          // One task per name: the old one stops before its successor starts on the same node.
          rollout: "stop-first",
        }),
        { parent: this, dependsOn, ...SERVICE_REPLACEMENT },
      );

    const sentinels = Array.from({ length: redis.sentinels }, (_, s) => sentinelAlias(s));
    const nodes = placesOf.map((node, i) => {
      const alias = redisNodeAlias(i);
      const config = secrets.file(`redis-${i}-conf`, password.apply((p) =>
        renderRedisNode({ hostname: alias, replicaOf: i === 0 ? undefined : INITIAL_MASTER_ALIAS, password: p, maxMemoryMb: args.memoryMb })), NODE_CONFIG_SECRET);
      const start = renderNodeStart({ self: alias, configFile: NODE_CONFIG_FILE, serviceName: redis.serviceName, sentinels });
      return service(`${name}-${i}`, alias, "redis", node, {
        image: args.image,
        args: ["sh", "-c", `export ${AUTH_FROM_FILE}\nmkdir -p ${NODE_CONFIG_FILE.replace(/\/[^/]+$/, "")} && cp ${NODE_CONFIG_SECRET} ${NODE_CONFIG_FILE}\n${start}`],
        secrets: [passwordFile, config],
        mounts: [volumeMount(ctx, `${ctx.stack}-${alias}-data`, REDIS_DATA_DIR)],
        healthcheck: shellHealthcheck(`${AUTH_FROM_FILE} ${redisHealthCommand(REDIS_PORT)}`),
      });
    });

    this.sentinelAddresses = sentinels.map((alias, i) => {
      const config = secrets.file(`sentinel-${i}-conf`, password.apply((p) => renderSentinel({
        hostname: alias, serviceName: redis.serviceName, masterHost: INITIAL_MASTER_ALIAS, quorum: redis.quorum, password: p,
        downAfterMs: redis.downAfterMs, failoverTimeoutMs: redis.failoverTimeoutMs, parallelSyncs: redis.parallelSyncs,
      })), SENTINEL_CONFIG_SECRET);
      // Sentinel rewrites its config, so it runs from a writable copy; like a replaced container,
      // a new task starts from the rendered one and learns the current master from its peers.
      service(`${name}-sentinel-${i}`, alias, "redis-sentinel", placesOf[i % placesOf.length], {
        image: args.image,
        args: ["sh", "-c", `cp ${SENTINEL_CONFIG_SECRET} ${SENTINEL_CONFIG_FILE} && exec redis-server ${SENTINEL_CONFIG_FILE} --sentinel`],
        secrets: [passwordFile, config],
        healthcheck: shellHealthcheck(`${AUTH_FROM_FILE} ${redisHealthCommand(SENTINEL_PORT)}`),
      }, nodes);
      return `${alias}:${SENTINEL_PORT}`;
    });

    this.nodes = placesOf.map((_, i) => redisNodeAlias(i));
    const routerConfig = secrets.file("haproxy-cfg", password.apply((p) => renderRedisRouter({ nodes: this.nodes, password: p })), ROUTER_CONFIG_SECRET, 0o444);
    new docker.Service(
      `${name}-router`,
      serviceArgs(ctx, {
        name: "redis-router", role: "redis-router", replicas: redis.routers,
        containerSpec: {
          image: args.routerImage,
          args: ["haproxy", "-f", ROUTER_CONFIG_SECRET],
          // The image's own user (haproxy:2.4 and later); its config is readable by it (mode 0444).
          user: "haproxy",
          secrets: [routerConfig],
          healthcheck: shellHealthcheck(routerHealthCommand()),
          stopSignal: "SIGUSR1",
          stopGracePeriod: "10s",
        },
        memoryMb: args.memoryMb, aliases: [REDIS_ROUTER_ALIAS], placement: spread, rollout: "start-first",
      }),
      { parent: this, dependsOn: nodes, ...SERVICE_REPLACEMENT },
    );
    this.router = { host: REDIS_ROUTER_ALIAS, port: REDIS_PORT };
    this.serviceName = redis.serviceName;
    this.registerOutputs({ nodes: this.nodes, sentinelAddresses: this.sentinelAddresses, serviceName: this.serviceName });
  }
}
