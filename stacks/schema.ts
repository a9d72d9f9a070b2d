/**
 * Every configuration key the program reads, once: its type, default, allowed values, meaning
 * and whether it is secret. The reader takes its checks from here, and `npm run generate`
 * writes `Pulumi.yaml`'s config block and the README's tables from it (a unit test fails when
 * they differ).
 */
import { FormatName } from "./formats";

export const PROJECT = "php-backend";

interface BaseSpec {
  readonly group: Group;
  readonly description: string;
  /** Set with `pulumi config set --secret`; read as an Output, never defaulted, never echoed. */
  readonly secret?: boolean;
  /** A valid value for the fix commands in error messages (defaults to `default`). */
  readonly example?: string;
}

export interface StringSpec extends BaseSpec {
  readonly type: "string";
  readonly format: FormatName;
  readonly default?: string;
}

export interface EnumSpec extends BaseSpec {
  readonly type: "string";
  readonly values: readonly string[];
  readonly default?: string;
}

export interface IntegerSpec extends BaseSpec {
  readonly type: "integer";
  readonly min: number;
  readonly max: number;
  /** Absent when the default depends on another key (the description says how). */
  readonly default?: number;
}

/** A map of environment variable names to values, set with `--path KEY.NAME value`. */
export interface EnvMapSpec extends BaseSpec {
  readonly type: "object";
  readonly default?: Readonly<Record<string, string>>;
}

export type KeySpec = StringSpec | EnumSpec | IntegerSpec | EnvMapSpec;

export const GROUPS = ["Release", "Application", "Base images", "Registry", "Docker host", "Swarm", "Services", "Limits", "Edge", "Redis", "Database"] as const;
export type Group = (typeof GROUPS)[number];

/** Environments the program knows; `prod` turns on the production rules. */
export const ENVIRONMENTS = ["local", "dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const KEYS = {
  version: { group: "Release", type: "string", format: "version", example: "v1.0.0", description: "Release version of the backend and nginx images (e.g. v1.4.2); `latest` is refused in prod." },
  backendVersion: { group: "Release", type: "string", format: "version", example: "v1.0.0", description: "Overrides `version` for the backend (php-fpm) image only." },
  nginxVersion: { group: "Release", type: "string", format: "version", example: "v1.0.0", description: "Overrides `version` for the nginx image only." },
  environment: { group: "Release", type: "string", values: ENVIRONMENTS, description: "Defaults to the stack name when that is one of the allowed values, and is required otherwise. A stack named `prod` or `prod-*` always runs as `prod`, whose rules refuse `latest` and a database container." },

  appName: { group: "Application", type: "string", format: "dnsLabel", default: "laravel", description: "APP_NAME of the application and the prefix of image repository names." },
  appDir: { group: "Application", type: "string", format: "path", default: "examples/laravel-app", description: "The Laravel application's root directory (it holds `artisan`), relative to the project: the backend image's build context." },
  appUrl: { group: "Application", type: "string", format: "httpUrl", default: "http://localhost:8080", description: "APP_URL given to the application." },
  healthPath: { group: "Application", type: "string", format: "urlPath", example: "/up", description: "A path the app answers with 200 while it can serve (Laravel 11's /up). When set, a release nginx counts as healthy only once the app answers it through php-fpm, so a release that cannot serve never replaces one that can; when unset, nginx's own /nginx-health." },
  appKey: { group: "Application", type: "string", format: "appKey", secret: true, example: "base64:<32 bytes>", description: "Laravel APP_KEY. Generated with @pulumi/random when not set." },
  appEnv: { group: "Application", type: "object", default: {}, description: "Extra plain environment of the app containers (`--path appEnv.NAME value`); may not set a variable the program sets or one that looks like a credential." },
  appSecretEnv: { group: "Application", type: "object", secret: true, description: "Extra secret environment of the app containers (`--secret --path appSecretEnv.NAME value`); may not set a variable the program sets." },

  phpBaseImage: { group: "Base images", type: "string", format: "image", default: "debian:bookworm-slim", description: "Base image of the backend image (Debian bookworm; PHP comes from Debian packages)." },
  nginxBaseImage: { group: "Base images", type: "string", format: "image", default: "nginx:1.27", description: "Base image of the release nginx image and image of the edge proxy." },
  redisImage: { group: "Base images", type: "string", format: "image", default: "redis:7.2", description: "Image of the Redis master, replicas and sentinels." },
  haproxyImage: { group: "Base images", type: "string", format: "image", default: "haproxy:2.8", description: "Image of the Redis routers (HAProxy)." },
  registryImage: { group: "Base images", type: "string", format: "image", default: "registry:2", description: "Image of the local registry (registryKind=local)." },
  postgresImage: { group: "Base images", type: "string", format: "image", default: "postgres:15", description: "Image of the database container (dbKind=container, dbConnection=pgsql)." },
  mysqlImage: { group: "Base images", type: "string", format: "image", default: "mysql:8.0", description: "Image of the database container (dbKind=container, dbConnection=mysql); MariaDB images with the same environment work too." },
  backendDockerfile: { group: "Base images", type: "string", format: "path", example: "docker/backend.Dockerfile", description: "Your own Dockerfile for the backend image, relative to the project, instead of the one this program ships (see \"Bring your app\"). Its ignore rules (`<Dockerfile>.dockerignore` or the app's `.dockerignore`) must keep `.env` and `.git` out." },

  registryKind: { group: "Registry", type: "string", values: ["local", "acr", "external"], default: "local", description: "Where images are pushed: a registry container on the Docker host, Alibaba Cloud Container Registry, or any registry." },
  registryPort: { group: "Registry", type: "integer", min: 1, max: 65535, default: 5000, description: "Host port of the local registry, bound to 127.0.0.1 (registryKind=local)." },
  registryServer: { group: "Registry", type: "string", format: "registryServer", example: "registry.example.com", description: "Registry host. Required for external and ACR Enterprise; ACR Personal defaults to registry.<acrRegion>.aliyuncs.com." },
  registryUsername: { group: "Registry", type: "string", format: "userName", example: "deploy@example", description: "Registry user name (required for acr and external)." },
  registryPassword: { group: "Registry", type: "string", format: "text", secret: true, example: "<password>", description: "Registry password (required for acr and external)." },
  imageNamespace: { group: "Registry", type: "string", format: "dnsLabel", default: "app", description: "Registry namespace the images are pushed under (the ACR namespace for acr)." },
  acrRegion: { group: "Registry", type: "string", format: "regionId", default: "cn-hangzhou", description: "Alibaba Cloud region of the Container Registry (registryKind=acr)." },
  acrInstanceId: { group: "Registry", type: "string", format: "acrInstanceId", example: "cri-0123456789abcdef", description: "ACR Enterprise Edition instance id; when unset the Personal Edition is used." },

  dockerHost: { group: "Docker host", type: "string", format: "dockerHost", example: "ssh://deploy@10.0.0.5", description: "Docker engine to deploy to (with engine=swarm: a manager of the swarm). Defaults to the local engine." },
  engine: { group: "Docker host", type: "string", values: ["docker", "swarm"], default: "docker", description: "Deployment target: `docker` runs containers on one Docker host; `swarm` runs swarm services across the nodes of an existing Docker Swarm, updated in place by the swarm itself (see \"Choosing a target\")." },

  swarmRedisNodes: { group: "Swarm", type: "string", format: "nodeNames", example: "ecs-a,ecs-b,ecs-c", description: "engine=swarm: the nodes (by their `php-backend.node` label) that hold Redis node 0 (the initial master), 1, 2, ..., one per node and all different: exactly redisReplicas + 1 names. Sentinel i runs beside Redis node i (modulo their number)." },
  swarmEdgeNodes: { group: "Swarm", type: "string", format: "nodeNames", example: "ecs-a,ecs-b", description: "engine=swarm: the nodes (by their `php-backend.node` label) that run an edge proxy, each publishing the edge ports on that node's own addresses (host mode)." },
  swarmUpdateParallelism: { group: "Swarm", type: "integer", min: 1, max: 50, default: 1, description: "engine=swarm: tasks of a service the swarm replaces at once during a release (and a rollback)." },
  swarmUpdateDelaySeconds: { group: "Swarm", type: "integer", min: 0, max: 600, default: 2, description: "engine=swarm: seconds between two batches of a rolling update." },
  swarmMonitorSeconds: { group: "Swarm", type: "integer", min: 1, max: 600, default: 10, description: "engine=swarm: seconds each new task is watched after it starts; a task that fails or turns unhealthy in that window rolls the service back." },
  swarmEncryptOverlay: { group: "Swarm", type: "string", values: ["on", "off"], default: "on", description: "engine=swarm: encrypt the stack's overlay network between nodes (IPsec ESP; the nodes' kernels need the rfc4106(gcm(aes)) cipher and the security group IP protocol 50). Set only when the network is created." },
  swarmConvergeTimeoutSeconds: { group: "Swarm", type: "integer", min: 30, max: 3600, default: 300, description: "engine=swarm: how long `pulumi up` waits for a service to converge (all replicas running the new spec) before it fails." },

  fpmReplicas: { group: "Services", type: "integer", min: 1, max: 50, default: 2, description: "Number of php-fpm containers." },
  nginxReplicas: { group: "Services", type: "integer", min: 1, max: 50, default: 2, description: "Number of release nginx containers behind the edge." },
  workerReplicas: { group: "Services", type: "integer", min: 1, max: 50, default: 1, description: "Number of queue worker containers." },
  fpmMaxChildren: { group: "Services", type: "integer", min: 1, max: 1000, default: 8, description: "php-fpm pm.max_children per container." },
  workerQueue: { group: "Services", type: "string", format: "queueList", default: "default", description: "Queue(s) the workers listen on." },
  workerSleep: { group: "Services", type: "integer", min: 0, max: 3600, default: 3, description: "queue:work --sleep: seconds to wait when the queue is empty." },
  workerTries: { group: "Services", type: "integer", min: 1, max: 100, default: 3, description: "queue:work --tries." },
  workerMaxTime: { group: "Services", type: "integer", min: 0, max: 86400, default: 3600, description: "queue:work --max-time: seconds before a worker restarts itself (0: never)." },
  workerStopGraceSeconds: { group: "Services", type: "integer", min: 1, max: 3600, default: 60, description: "Seconds a worker gets to finish its job after SIGTERM before it is killed." },

  appMemoryMb: { group: "Limits", type: "integer", min: 64, max: 65536, default: 512, description: "Memory limit (MiB, no swap) of php-fpm, worker, scheduler and migration containers." },
  nginxMemoryMb: { group: "Limits", type: "integer", min: 16, max: 65536, default: 128, description: "Memory limit (MiB, no swap) of the nginx and edge containers." },
  redisMemoryMb: { group: "Limits", type: "integer", min: 32, max: 65536, default: 256, description: "Memory limit (MiB, no swap) of each Redis and sentinel container." },
  cpus: { group: "Limits", type: "string", format: "cpus", default: "1.0", description: "CPU limit of each long-running container (docker --cpus), more than 0; stored in the docker provider's form (\"1\" → \"1.0\") so it never shows a diff." },
  logMaxSize: { group: "Limits", type: "string", format: "size", default: "10m", description: "json-file log rotation: maximum size of one log file." },
  logMaxFiles: { group: "Limits", type: "integer", min: 1, max: 100, default: 3, description: "json-file log rotation: number of files kept." },

  edgeHttpPort: { group: "Edge", type: "integer", min: 1, max: 65535, default: 8080, description: "Host port the edge proxy publishes for HTTP." },
  edgeHttpsPort: { group: "Edge", type: "integer", min: 1, max: 65535, default: 8443, description: "Host port the edge proxy publishes for HTTPS (when it terminates TLS)." },
  edgeBindAddress: { group: "Edge", type: "string", format: "ipAddress", default: "127.0.0.1", description: "Host address the edge ports bind to (0.0.0.0 to serve the world)." },
  appHostAliases: { group: "Edge", type: "string", format: "hostList", example: "example.com,www.example.com", description: "More host names (or addresses) the edge serves the app for, besides appUrl's host. A request for any other Host gets no answer (444), except the health paths." },
  maxBodySizeMb: { group: "Edge", type: "integer", min: 1, max: 4096, default: 20, description: "Largest request body (MiB) accepted, the same at the edge, the release nginx (client_max_body_size) and PHP (post_max_size, upload_max_filesize): a larger one gets 413 from the edge." },
  tlsTermination: { group: "Edge", type: "string", values: ["edge", "loadBalancer"], default: "edge", description: "Where HTTPS ends when `appUrl` is https: `edge` (the edge serves 443 with tlsCertificate/tlsKey and redirects HTTP to HTTPS) or `loadBalancer` (a load balancer in front terminates TLS and sends X-Forwarded-Proto; the edge serves HTTP only and must be reachable only from it)." },
  tlsCertificate: { group: "Edge", type: "string", format: "pemCertificate", example: "\"$(cat fullchain.pem)\"", description: "PEM certificate chain the edge serves (leaf first). Required when `appUrl` is https and tlsTermination=edge." },
  tlsKey: { group: "Edge", type: "string", format: "pemPrivateKey", secret: true, example: "\"$(cat privkey.pem)\"", description: "PEM private key of tlsCertificate (set it with `--secret`)." },

  redisReplicas: { group: "Redis", type: "integer", min: 1, max: 10, default: 2, description: "Number of Redis replicas besides the master." },
  sentinels: { group: "Redis", type: "integer", min: 3, max: 15, default: 3, description: "Number of sentinels; odd, so a majority can always be found." },
  sentinelQuorum: { group: "Redis", type: "integer", min: 1, max: 15, default: 2, description: "Sentinels that must agree the master is down; at most `sentinels`." },
  redisRouters: { group: "Redis", type: "integer", min: 1, max: 5, default: 2, description: "Number of Redis routers: HAProxy containers behind `redis:6379` that lead to the current master, for clients that do not speak to sentinels." },
  redisServiceName: { group: "Redis", type: "string", format: "sentinelName", default: "app-redis", description: "Sentinel master (service) name." },
  sentinelDownAfterMs: { group: "Redis", type: "integer", min: 500, max: 600000, default: 5000, description: "sentinel down-after-milliseconds: how long the master may be silent before a failover." },
  sentinelFailoverTimeoutMs: { group: "Redis", type: "integer", min: 1000, max: 3600000, default: 60000, description: "sentinel failover-timeout (ms)." },
  sentinelParallelSyncs: { group: "Redis", type: "integer", min: 1, max: 10, default: 1, description: "sentinel parallel-syncs." },
  redisPassword: { group: "Redis", type: "string", format: "password", secret: true, example: "<password>", description: "Password of Redis and the sentinels. Generated when not set." },

  dbKind: { group: "Database", type: "string", values: ["external", "container"], default: "external", description: "external: a managed database given by dbHost; container: a database container (PostgreSQL or MySQL, after dbConnection) on the stack network (not allowed in prod)." },
  dbConnection: { group: "Database", type: "string", values: ["pgsql", "mysql"], default: "pgsql", description: "Laravel DB_CONNECTION: pgsql (PostgreSQL, ApsaraDB RDS for PostgreSQL) or mysql (MySQL, MariaDB, ApsaraDB RDS for MySQL)." },
  dbHost: { group: "Database", type: "string", format: "hostname", example: "pgm-xxxx.pg.rds.aliyuncs.com", description: "Database host (required when dbKind=external)." },
  dbPort: { group: "Database", type: "integer", min: 1, max: 65535, example: "5432", description: "Database port. Defaults to 5432 for pgsql and 3306 for mysql." },
  dbName: { group: "Database", type: "string", format: "sqlName", default: "laravel", description: "Database name." },
  dbUser: { group: "Database", type: "string", format: "sqlName", default: "laravel", description: "Database user." },
  dbPassword: { group: "Database", type: "string", format: "text", secret: true, example: "<password>", description: "Database password. Required for dbKind=external; generated for dbKind=container." },
  dbNetwork: { group: "Database", type: "string", format: "dockerName", example: "db-net", description: "An existing Docker network the app containers also join to reach the database." },
} as const satisfies Record<string, KeySpec>;

export type KeyName = keyof typeof KEYS;

export const keySpec = (key: KeyName): KeySpec => KEYS[key];

/** The value shown in fix commands: the key's example, else its default. */
export function exampleOf(key: KeyName): string {
  const spec = keySpec(key);
  if (spec.example !== undefined) return spec.example;
  if ("values" in spec) return spec.default ?? spec.values[0];
  return spec.default === undefined ? "<value>" : typeof spec.default === "object" ? "{}" : String(spec.default);
}
