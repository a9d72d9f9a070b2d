import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { envLines, splitAppEnvironment } from "../release/environment";
import { stackPrefix } from "../release/names";
import { describeRelease } from "../release/roles";
import { StackSettings, SwarmSettings } from "../stacks/types";
import { DELETE_FIRST } from "./docker/containerSpec";
import { generatedSecrets } from "./generatedSecrets";
import { StackOutputs } from "./stackOutputs";
import { releaseImages } from "./images/releaseImages";
import { Migration } from "./services/migration";
import { ReleaseRuntime } from "./services/releaseRuntime";
import { SwarmDatabase } from "./swarm/swarmDatabase";
import { SwarmEdge } from "./swarm/swarmEdge";
import { secretEnvFile, SwarmConfigs, SwarmSecrets } from "./swarm/swarmFiles";
import { SwarmRedis } from "./swarm/swarmRedis";
import { SwarmReleaseService, SwarmRuntime } from "./swarm/swarmRelease";
import { stackLabels, SwarmContext } from "./swarm/swarmSpec";

/**
 * One whole deployment on a Docker Swarm, through its manager: the same registry, images and
 * release plan as on one host, realised as swarm services on an overlay network. A release
 * updates the services in place and the swarm rolls it out; the migration still runs first,
 * once, as a container on the manager, and nothing is updated when it fails.
 */
export class SwarmStack extends pulumi.ComponentResource {
  readonly outputs: StackOutputs;

  constructor(name: string, s: StackSettings & { swarm: SwarmSettings }, opts?: pulumi.ComponentResourceOptions) {
    const provider = new docker.Provider(`${name}-docker`, { host: s.dockerHost });
    super("php-backend:stack:SwarmStack", name, {}, { ...opts, providers: { docker: provider } });
    const prefix = stackPrefix(s.project, s.stack);
    const child = { parent: this };

    // Attachable: the migration container on the manager joins it too. The provider reads the
    // options back with what the daemon adds (the VXLAN id), which would replace the network on
    // every run: the one option is set at create and ignored after.
    const network = new docker.Network(
      `${name}-network`,
      {
        name: prefix, driver: "overlay", attachable: true, labels: stackLabels(prefix),
        ...(s.swarm.encryptOverlay ? { options: { encrypted: "" } } : {}),
      },
      { ...child, ...DELETE_FIRST, ...(s.swarm.encryptOverlay ? { ignoreChanges: ["options"] } : {}) },
    );
    const ctx: SwarmContext = { stack: prefix, network: network.id, limits: s.limits, swarm: s.swarm };
    const generated = generatedSecrets(this, name, s);
    const secrets = new SwarmSecrets(this, name, prefix);
    const configs = new SwarmConfigs(this, name, prefix);
    const { registry, backend, nginx } = releaseImages(this, name, s, prefix);

    const redis = new SwarmRedis(
      `${name}-redis`,
      { ctx, secrets, image: s.images.redis, routerImage: s.images.haproxy, redis: s.redis, password: generated.redisPassword, memoryMb: s.limits.redisMemoryMb },
      child,
    );
    const database = s.database.kind === "container"
      ? new SwarmDatabase(
          `${name}-database`,
          {
            ctx, secrets, engine: s.database.connection, image: s.database.connection === "mysql" ? s.images.mysql : s.images.postgres,
            alias: s.database.host, name: s.database.name, user: s.database.user, password: generated.dbPassword, memoryMb: s.limits.appMemoryMb,
          },
          child,
        )
      : undefined;

    const env = splitAppEnvironment(s, {
      appKey: generated.appKey, redisPassword: generated.redisPassword, dbPassword: generated.dbPassword,
      sentinels: redis.sentinelAddresses, redisServiceName: redis.serviceName, redisRouter: redis.router,
    });
    const secretNames = Object.keys(env.secret);
    // On the manager, for the migration; each node makes its own volume of that name for its tasks.
    const uploads = new docker.Volume(`${name}-uploads`, { name: `${prefix}-uploads` }, { ...child, ...DELETE_FIRST });
    const images = { backend: backend.repoDigest, nginx: nginx.repoDigest };

    const plan = describeRelease(s, backend.tag, "shared");
    const migrationRuntime: ReleaseRuntime = {
      ctx: { network: network.name, stack: prefix, limits: s.limits },
      volumes: { uploads: uploads.name },
      images,
      appEnv: envLines(env.plain),
      extraNetworks: [],
    };
    const migration = new Migration(
      `${name}-migrate`,
      { role: plan.migration, runtime: migrationRuntime, secretFiles: secretNames.map((n) => ({ file: secretEnvFile(n), content: env.secret[n] })) },
      { ...child, dependsOn: [redis, ...(database ? [database] : [])] },
    );

    const runtime: SwarmRuntime = {
      ctx, images, configs,
      env: env.plain,
      secretFiles: secretNames.map((n) => secrets.file(n, env.secret[n], secretEnvFile(n))),
      volumes: { uploads: `${prefix}-uploads` },
      migrated: migration.completed,
      // Sent with each service update (docker service update --with-registry-auth), so no node needs a login of its own.
      ...(s.registry.kind === "local" ? {} : { registryAuth: { serverAddress: s.registry.server, username: s.registry.username, password: s.registry.password } }),
    };
    // php-fpm first: when the swarm rolls it back (its replicas did not turn healthy), the update
    // fails there and no other role of the release is touched.
    const fpm = new SwarmReleaseService(`${name}-fpm`, { role: plan.fpm, runtime, after: [migration] }, child);
    const afterFpm = [migration, fpm.service];
    new SwarmReleaseService(`${name}-worker`, { role: plan.worker, runtime, after: afterFpm }, child);
    new SwarmReleaseService(`${name}-scheduler`, { role: plan.scheduler, runtime, after: afterFpm }, child);
    new SwarmReleaseService(`${name}-nginx`, { role: plan.nginx, runtime, after: afterFpm }, child);
    const edge = new SwarmEdge(`${name}-edge`, { ctx, secrets, configs, image: s.images.nginxBase, edge: s.edge, memoryMb: s.limits.nginxMemoryMb }, child);

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
