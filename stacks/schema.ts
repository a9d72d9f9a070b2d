/**
 * Every scalar configuration key the program reads, with its type, default and meaning.
 * `Pulumi.yaml` declares the same keys (a unit test keeps the two identical), so
 * `pulumi config` and this program agree on defaults.
 */
export type KeyType = "string" | "integer" | "boolean";

export interface KeySpec {
  readonly type: KeyType;
  readonly default?: string | number | boolean;
  readonly description: string;
  /** Set with `pulumi config set --secret`; read as an Output and never defaulted. */
  readonly secret?: boolean;
}

export const PROJECT = "php-backend";

export const KEYS = {
  // Release
  version: { type: "string", description: "Release version applied to the backend and nginx images (e.g. v1.4.2)." },
  backendVersion: { type: "string", description: "Overrides `version` for the backend (php-fpm) image only." },
  nginxVersion: { type: "string", description: "Overrides `version` for the nginx image only." },
  environment: { type: "string", description: "Environment name (local, dev, prod). Defaults to the stack name; `prod` turns on the strict rules." },

  // Application
  appName: { type: "string", default: "laravel", description: "APP_NAME of the application and the prefix of image repository names." },
  appDir: { type: "string", default: "examples/laravel-app", description: "Path to the application source (the backend image build context)." },
  appUrl: { type: "string", default: "http://localhost:8080", description: "APP_URL given to the application." },
  appKey: { type: "string", secret: true, description: "Laravel APP_KEY (base64:...). Generated with @pulumi/random when not set." },

  // Base images (point these at a mirror where Docker Hub is unreachable)
  phpBaseImage: { type: "string", default: "debian:bookworm-slim", description: "Base image of the backend image (Debian bookworm; PHP comes from Debian packages)." },
  nginxBaseImage: { type: "string", default: "nginx:1.27", description: "Base image of the release nginx image and image of the edge proxy." },
  redisImage: { type: "string", default: "redis:7.2", description: "Image of the Redis master, replicas and sentinels." },
  registryImage: { type: "string", default: "registry:2", description: "Image of the local registry (registryKind=local)." },
  postgresImage: { type: "string", default: "postgres:15", description: "Image of the database container (dbKind=container)." },

  // Registry
  registryKind: { type: "string", default: "local", description: "Where images are pushed: local | acr | external." },
  registryPort: { type: "integer", default: 5000, description: "Host port of the local registry, bound to 127.0.0.1 (registryKind=local)." },
  registryServer: { type: "string", description: "Registry host. Required for external and ACR Enterprise; ACR Personal defaults to registry.<acrRegion>.aliyuncs.com." },
  registryUsername: { type: "string", description: "Registry user name (acr, external)." },
  registryPassword: { type: "string", secret: true, description: "Registry password (acr, external)." },
  imageNamespace: { type: "string", default: "app", description: "Registry namespace the images are pushed under (the ACR namespace for acr)." },
  acrRegion: { type: "string", default: "cn-hangzhou", description: "Alibaba Cloud region of the Container Registry (registryKind=acr)." },
  acrInstanceId: { type: "string", description: "ACR Enterprise Edition instance id; when unset the Personal Edition is used." },

  // Docker host
  dockerHost: { type: "string", description: "Docker engine to deploy to (e.g. ssh://deploy@10.0.0.5). Defaults to the local engine." },

  // Services
  fpmReplicas: { type: "integer", default: 2, description: "Number of php-fpm containers." },
  nginxReplicas: { type: "integer", default: 2, description: "Number of release nginx containers behind the edge." },
  workerReplicas: { type: "integer", default: 1, description: "Number of queue worker containers." },
  fpmMaxChildren: { type: "integer", default: 8, description: "php-fpm pm.max_children per container." },
  workerQueue: { type: "string", default: "default", description: "Queue(s) the workers listen on (comma-separated)." },
  workerSleep: { type: "integer", default: 3, description: "queue:work --sleep (seconds to wait when the queue is empty)." },
  workerTries: { type: "integer", default: 3, description: "queue:work --tries." },
  workerMaxTime: { type: "integer", default: 3600, description: "queue:work --max-time (seconds before a worker restarts itself)." },
  workerStopGraceSeconds: { type: "integer", default: 60, description: "Seconds a worker gets to finish its job after SIGTERM before it is killed." },
  appMemoryMb: { type: "integer", default: 512, description: "Memory limit (MiB) of php-fpm, worker, cron and migration containers." },
  nginxMemoryMb: { type: "integer", default: 128, description: "Memory limit (MiB) of the nginx and edge containers." },
  redisMemoryMb: { type: "integer", default: 256, description: "Memory limit (MiB) of each Redis and sentinel container." },
  cpus: { type: "string", default: "1.0", description: "CPU limit of each long-running container (docker --cpus)." },
  logMaxSize: { type: "string", default: "10m", description: "json-file log rotation: maximum size of one log file." },
  logMaxFiles: { type: "integer", default: 3, description: "json-file log rotation: number of files kept." },

  // Edge
  edgeHttpPort: { type: "integer", default: 8080, description: "Host port the edge proxy publishes for HTTP." },
  edgeBindAddress: { type: "string", default: "127.0.0.1", description: "Host address the edge port binds to (0.0.0.0 to serve the world)." },

  // Redis
  redisReplicas: { type: "integer", default: 2, description: "Number of Redis replicas besides the master." },
  sentinels: { type: "integer", default: 3, description: "Number of sentinels (odd, at least 3)." },
  sentinelQuorum: { type: "integer", default: 2, description: "Sentinels that must agree the master is down (1..sentinels)." },
  redisServiceName: { type: "string", default: "app-redis", description: "Sentinel master (service) name." },
  sentinelDownAfterMs: { type: "integer", default: 5000, description: "sentinel down-after-milliseconds." },
  sentinelFailoverTimeoutMs: { type: "integer", default: 60000, description: "sentinel failover-timeout." },
  sentinelParallelSyncs: { type: "integer", default: 1, description: "sentinel parallel-syncs." },
  redisPassword: { type: "string", secret: true, description: "Password of Redis and the sentinels. Generated when not set." },

  // Database
  dbKind: { type: "string", default: "external", description: "external (a managed database given by dbHost) or container (a PostgreSQL container; not allowed in prod)." },
  dbConnection: { type: "string", default: "pgsql", description: "Laravel DB_CONNECTION." },
  dbHost: { type: "string", description: "Database host (required when dbKind=external)." },
  dbPort: { type: "integer", default: 5432, description: "Database port." },
  dbName: { type: "string", default: "laravel", description: "Database name." },
  dbUser: { type: "string", default: "laravel", description: "Database user." },
  dbPassword: { type: "string", secret: true, description: "Database password. Required in dev and prod; generated for dbKind=container." },
  dbNetwork: { type: "string", description: "An existing Docker network the app containers also join to reach the database." },
} as const satisfies Record<string, KeySpec>;

export type KeyName = keyof typeof KEYS;
