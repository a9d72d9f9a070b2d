import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { RedisSettings } from "../../stacks/types";
import { ContainerContext, CREATE_FIRST, DELETE_FIRST, envList, labels, longRunning, shellHealthcheck, stackNetwork } from "../docker/containerSpec";
import { INITIAL_MASTER_ALIAS, REDIS_DATA_DIR, REDIS_PORT, redisNodeAlias, SENTINEL_PORT, sentinelAlias } from "../../release/names";
import { redisHealthCommand, renderNodeStart, renderRedisNode, renderSentinel } from "../../release/render/redis";

const NODE_CONFIG_FILE = "/usr/local/etc/redis/redis.conf";
/** Sentinel rewrites its config: it lives in the writable data directory, one per sentinel. */
const SENTINEL_CONFIG_FILE = `${REDIS_DATA_DIR}/sentinel.conf`;

export interface RedisSentinelSetArgs {
  readonly ctx: ContainerContext;
  readonly image: string;
  readonly redis: RedisSettings;
  /** Secret. */
  readonly password: pulumi.Input<string>;
  readonly memoryMb: number;
}

/**
 * A Redis master, its replicas and the sentinels watching them, on the stack's private network
 * only (no host ports). Nodes are `redis-0` (the initial master) .. `redis-N`; sentinels are
 * `redis-sentinel-0` .. `redis-sentinel-M`; everything is addressed by these names.
 */
export class RedisSentinelSet extends pulumi.ComponentResource {
  /** "host:port" of every sentinel, for the application. */
  readonly sentinelAddresses: string[];
  /** Aliases of the data nodes, redis-0 (the initial master) first. */
  readonly nodes: string[];
  readonly serviceName: string;
  /** Secret. */
  readonly password: pulumi.Output<string>;

  constructor(name: string, args: RedisSentinelSetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:redis:RedisSentinelSet", name, {}, opts);
    const { ctx, redis } = args;
    this.password = pulumi.secret(args.password);
    this.serviceName = redis.serviceName;
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, { parent: this, ...CREATE_FIRST });
    const env = envList({ REDISCLI_AUTH: this.password });

    const container = (resourceName: string, alias: string, role: "redis" | "redis-sentinel", extra: Partial<docker.ContainerArgs>, dependsOn: pulumi.Resource[] = []) =>
      new docker.Container(
        resourceName,
        {
          name: `${ctx.stack}-${alias}`,
          hostname: alias,
          image: image.imageId,
          // The redis image's WORKDIR, stated: the provider reads working_dir back and would
          // replace the node on every update if the program left it out.
          workingDir: REDIS_DATA_DIR,
          envs: env,
          labels: labels(ctx.stack, role),
          ...longRunning(ctx, args.memoryMb, stackNetwork(ctx, [alias])),
          ...extra,
        },
        // Stable names and data: a replacement must not run beside the node it replaces.
        { parent: this, ...DELETE_FIRST, dependsOn },
      );

    const nodes = Array.from({ length: redis.replicas + 1 }, (_, i) => {
      const alias = redisNodeAlias(i);
      const data = new docker.Volume(`${name}-${i}-data`, { name: `${ctx.stack}-${alias}-data` }, { parent: this, ...DELETE_FIRST });
      const config = this.password.apply((password) =>
        renderRedisNode({ hostname: alias, replicaOf: i === 0 ? undefined : INITIAL_MASTER_ALIAS, password, maxMemoryMb: args.memoryMb }),
      );
      return container(`${name}-${i}`, alias, "redis", {
        command: ["sh", "-c", renderNodeStart({
          self: alias, configFile: NODE_CONFIG_FILE, serviceName: redis.serviceName,
          sentinels: Array.from({ length: redis.sentinels }, (_, s) => sentinelAlias(s)),
        })],
        uploads: [{ file: NODE_CONFIG_FILE, content: config }],
        volumes: [{ volumeName: data.name, containerPath: REDIS_DATA_DIR }],
        healthcheck: shellHealthcheck(redisHealthCommand(REDIS_PORT)),
      });
    });

    this.sentinelAddresses = Array.from({ length: redis.sentinels }, (_, i) => {
      const alias = sentinelAlias(i);
      const config = this.password.apply((password) =>
        renderSentinel({
          hostname: alias,
          serviceName: redis.serviceName,
          masterHost: INITIAL_MASTER_ALIAS,
          quorum: redis.quorum,
          password,
          downAfterMs: redis.downAfterMs,
          failoverTimeoutMs: redis.failoverTimeoutMs,
          parallelSyncs: redis.parallelSyncs,
        }),
      );
      // A sentinel resolves the master's name when it loads its config: start it after the nodes.
      container(`${name}-sentinel-${i}`, alias, "redis-sentinel", {
        command: ["redis-server", SENTINEL_CONFIG_FILE, "--sentinel"],
        uploads: [{ file: SENTINEL_CONFIG_FILE, content: config }],
        healthcheck: shellHealthcheck(redisHealthCommand(SENTINEL_PORT)),
      }, nodes);
      return `${alias}:${SENTINEL_PORT}`;
    });

    this.nodes = nodes.map((_, i) => redisNodeAlias(i));
    this.registerOutputs({ nodes: this.nodes, sentinelAddresses: this.sentinelAddresses, serviceName: this.serviceName, password: this.password });
  }
}
