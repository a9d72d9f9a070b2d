import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { StackSettings } from "../stacks/types";
import { AppNginx } from "./services/appNginx";
import { AppRuntime } from "./services/appRuntime";
import { BackendImage } from "./images/backendImage";
import { ContainerContext, DELETE_FIRST, envLines, envList } from "./docker/containerSpec";
import { EdgeProxy } from "./edge/edgeProxy";
import { LocalDatabase } from "./data/localDatabase";
import { Migration } from "./services/migration";
import { NginxImage } from "./images/nginxImage";
import { PhpFpm } from "./services/phpFpm";
import { QueueWorker } from "./services/queueWorker";
import { RedisSentinelSet } from "./data/redisSentinelSet";
import { Registry } from "./images/registry";
import { FPM_PORT } from "../release/render/phpFpmPool";
import { Scheduler } from "./services/scheduler";

/**
 * One whole deployment: registry, release images, Redis, database (optional), release services
 * and the edge, on one private Docker network. Built from validated settings only.
 */
export class BackendStack extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly backendImage: pulumi.Output<string>;
  readonly nginxImage: pulumi.Output<string>;
  readonly registryServer: pulumi.Output<string>;
  readonly redisSentinels: string[];

  constructor(name: string, s: StackSettings, opts?: pulumi.ComponentResourceOptions) {
    const provider = new docker.Provider(`${name}-docker`, { host: s.dockerHost });
    super("php-backend:stack:BackendStack", name, {}, { ...opts, providers: { docker: provider } });
    const prefix = `${s.project}-${s.stack}`;

    // A fixed name: a second network of that name cannot be created beside it.
    const network = new docker.Network(`${name}-network`, { name: prefix, driver: "bridge" }, { parent: this, ...DELETE_FIRST });
    const ctx: ContainerContext = { network: network.name, stack: prefix, limits: s.limits };
    const secrets = generatedSecrets(this, name, s);

    const backendRepo = `${s.app.name}-backend`;
    const nginxRepo = `${s.app.name}-nginx`;
    const registry = new Registry(
      `${name}-registry`,
      { settings: s.registry, repositories: [backendRepo, nginxRepo], localImage: s.images.registry, stack: prefix, limits: s.limits },
      { parent: this },
    );
    const backend = new BackendImage(
      `${name}-backend-image`,
      { registry, repository: backendRepo, version: s.release.backendVersion, appDir: s.app.dir, baseImage: s.images.phpBase },
      { parent: this },
    );
    const fpmAlias = PhpFpm.aliasFor(backend.tag);
    const nginx = new NginxImage(
      `${name}-nginx-image`,
      { registry, repository: nginxRepo, version: s.release.nginxVersion, appDir: s.app.dir, baseImage: s.images.nginxBase },
      { parent: this },
    );

    const redis = new RedisSentinelSet(
      `${name}-redis`,
      { ctx, image: s.images.redis, redis: s.redis, password: secrets.redisPassword, memoryMb: s.limits.redisMemoryMb },
      { parent: this },
    );
    const database = s.database.kind === "container"
      ? new LocalDatabase(
          `${name}-database`,
          {
            ctx, image: s.images.postgres, alias: s.database.host, name: s.database.name, user: s.database.user,
            password: secrets.dbPassword, memoryMb: s.limits.appMemoryMb,
          },
          { parent: this },
        )
      : undefined;

    const env = envList({
      APP_NAME: s.app.name,
      APP_ENV: s.environment,
      APP_KEY: secrets.appKey,
      APP_DEBUG: "false",
      APP_URL: s.app.url,
      LOG_CHANNEL: "stderr",
      RELEASE_VERSION: s.release.backendVersion,
      REDIS_SENTINELS: redis.sentinelAddresses.join(","),
      REDIS_SENTINEL_SERVICE: redis.serviceName,
      REDIS_PASSWORD: redis.password,
      QUEUE_CONNECTION: "redis",
      CACHE_DRIVER: "redis",
      DB_CONNECTION: s.database.connection,
      DB_HOST: s.database.host,
      DB_PORT: String(s.database.port),
      DB_DATABASE: s.database.name,
      DB_USERNAME: s.database.user,
      DB_PASSWORD: secrets.dbPassword,
      ...s.app.env,
    }).apply((base) => (s.app.secretEnv ? s.app.secretEnv.apply((extra) => [...base, ...envLines(extra)]) : base));
    const appEnv = pulumi.secret(env as pulumi.Output<pulumi.Input<string>[]>);

    const runtimeBase = {
      ctx, image: backend.repoDigest, env: appEnv, release: s.release.backendVersion,
      extraNetworks: s.database.network ? [s.database.network] : [],
    };
    const after = [redis, ...(database ? [database] : [])];
    const migration = new Migration(
      `${name}-migrate`, { runtime: runtimeBase, memoryMb: s.limits.appMemoryMb }, { parent: this, dependsOn: after },
    );
    const runtime: AppRuntime = { ...runtimeBase, migrated: migration.completed };
    const fpm = new PhpFpm(
      `${name}-fpm`,
      { runtime, alias: fpmAlias, replicas: s.services.fpmReplicas, maxChildren: s.services.fpmMaxChildren, memoryMb: s.limits.appMemoryMb },
      { parent: this, dependsOn: [migration] },
    );
    new QueueWorker(
      `${name}-worker`,
      { runtime, replicas: s.services.workerReplicas, worker: s.services.worker, memoryMb: s.limits.appMemoryMb },
      { parent: this, dependsOn: [migration] },
    );
    new Scheduler(`${name}-scheduler`, { runtime, memoryMb: s.limits.appMemoryMb }, { parent: this, dependsOn: [migration] });
    new AppNginx(
      `${name}-nginx`,
      {
        ctx, image: nginx.repoDigest, release: s.release.nginxVersion, fpmHost: fpmAlias, fpmPort: FPM_PORT,
        replicas: s.services.nginxReplicas, memoryMb: s.limits.nginxMemoryMb, after: [fpm, migration],
      },
      { parent: this },
    );
    const edge = new EdgeProxy(
      `${name}-edge`, { ctx, image: s.images.nginxBase, edge: s.edge, memoryMb: s.limits.nginxMemoryMb }, { parent: this },
    );

    this.url = edge.url;
    this.backendImage = backend.repoDigest;
    this.nginxImage = nginx.repoDigest;
    this.registryServer = registry.server;
    this.redisSentinels = redis.sentinelAddresses;
    this.registerOutputs({
      url: this.url, backendImage: this.backendImage, nginxImage: this.nginxImage,
      registryServer: this.registryServer, redisSentinels: this.redisSentinels,
    });
  }
}

/** Secrets the stack may leave unset are generated once and kept in state (as secrets). */
function generatedSecrets(parent: pulumi.Resource, name: string, s: StackSettings) {
  const appKey = s.app.key ?? pulumi.secret(
    new random.RandomBytes(`${name}-app-key`, { length: 32 }, { parent }).base64.apply((b64) => `base64:${b64}`),
  );
  const redisPassword = s.redis.password ?? pulumi.secret(
    new random.RandomPassword(`${name}-redis-password`, { length: 32, special: false }, { parent }).result,
  );
  const dbPassword = s.database.password ?? pulumi.secret(
    new random.RandomPassword(`${name}-db-password`, { length: 32, special: false }, { parent }).result,
  );
  return { appKey, redisPassword, dbPassword };
}
