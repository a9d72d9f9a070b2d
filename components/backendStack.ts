import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { appEnvironment } from "../release/environment";
import { stackPrefix } from "../release/names";
import { describeRelease } from "../release/roles";
import { StackSettings } from "../stacks/types";
import { LocalDatabase } from "./data/localDatabase";
import { RedisRouter } from "./data/redisRouter";
import { RedisSentinelSet } from "./data/redisSentinelSet";
import { ContainerContext, DELETE_FIRST } from "./docker/containerSpec";
import { EdgeProxy } from "./edge/edgeProxy";
import { generatedSecrets } from "./generatedSecrets";
import { StackOutputs } from "./stackOutputs";
import { releaseImages } from "./images/releaseImages";
import { Migration } from "./services/migration";
import { ReleaseRuntime } from "./services/releaseRuntime";
import { ReleaseService } from "./services/releaseService";

/**
 * One whole deployment on a Docker host, composed from validated settings: the registry and the
 * release images, Redis and the database, the release (described by `describeRelease`, realised
 * as containers) and the edge, all on one private network.
 */
export class BackendStack extends pulumi.ComponentResource {
  readonly outputs: StackOutputs;

  constructor(name: string, s: StackSettings, opts?: pulumi.ComponentResourceOptions) {
    const provider = new docker.Provider(`${name}-docker`, { host: s.dockerHost });
    super("php-backend:stack:BackendStack", name, {}, { ...opts, providers: { docker: provider } });
    const prefix = stackPrefix(s.project, s.stack);
    const child = { parent: this };

    // A fixed name: a second network of that name cannot be created beside it.
    const network = new docker.Network(`${name}-network`, { name: prefix, driver: "bridge" }, { ...child, ...DELETE_FIRST });
    const ctx: ContainerContext = { network: network.name, stack: prefix, limits: s.limits };
    const secrets = generatedSecrets(this, name, s);

    const { registry, backend, nginx } = releaseImages(this, name, s, prefix);

    const redis = new RedisSentinelSet(
      `${name}-redis`,
      { ctx, image: s.images.redis, redis: s.redis, password: secrets.redisPassword, memoryMb: s.limits.redisMemoryMb },
      child,
    );
    const router = new RedisRouter(
      `${name}-redis-router`,
      { ctx, image: s.images.haproxy, replicas: s.redis.routers, nodes: redis.nodes, password: redis.password, memoryMb: s.limits.redisMemoryMb, after: [redis] },
      child,
    );
    const database = s.database.kind === "container"
      ? new LocalDatabase(
          `${name}-database`,
          {
            ctx, engine: s.database.connection, image: s.database.connection === "mysql" ? s.images.mysql : s.images.postgres,
            alias: s.database.host, name: s.database.name, user: s.database.user, password: secrets.dbPassword, memoryMb: s.limits.appMemoryMb,
          },
          child,
        )
      : undefined;

    // Uploads outlive every release; a fixed name, like the network's.
    const uploads = new docker.Volume(`${name}-uploads`, { name: `${prefix}-uploads` }, { ...child, ...DELETE_FIRST });

    const plan = describeRelease(s, backend.tag);
    const base: ReleaseRuntime = {
      ctx,
      volumes: { uploads: uploads.name },
      images: { backend: backend.repoDigest, nginx: nginx.repoDigest },
      appEnv: appEnvironment(s, {
        appKey: secrets.appKey, redisPassword: redis.password, dbPassword: secrets.dbPassword,
        sentinels: redis.sentinelAddresses, redisServiceName: redis.serviceName, redisRouter: { host: router.host, port: router.port },
      }),
      extraNetworks: s.database.network ? [s.database.network] : [],
    };
    const migration = new Migration(`${name}-migrate`, { role: plan.migration, runtime: base }, { ...child, dependsOn: [redis, router, ...(database ? [database] : [])] });
    const runtime: ReleaseRuntime = { ...base, migrated: migration.completed };
    const afterMigration = { ...child, dependsOn: [migration] };
    const fpm = new ReleaseService(`${name}-fpm`, { role: plan.fpm, runtime }, afterMigration);
    new ReleaseService(`${name}-worker`, { role: plan.worker, runtime }, afterMigration);
    new ReleaseService(`${name}-scheduler`, { role: plan.scheduler, runtime }, afterMigration);
    new ReleaseService(`${name}-nginx`, { role: plan.nginx, runtime, after: [fpm, migration] }, child);
    const edge = new EdgeProxy(`${name}-edge`, { ctx, image: s.images.nginxBase, edge: s.edge, memoryMb: s.limits.nginxMemoryMb }, child);

    this.outputs = {
      url: edge.url,
      backendImage: backend.repoDigest,
      nginxImage: nginx.repoDigest,
      registryServer: registry.server,
      redisSentinels: redis.sentinelAddresses,
      migrated: migration.completed,
    };
    this.registerOutputs(this.outputs);
  }
}
