import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "./schema";

/** The validated, typed configuration of one stack. Only `stacks/` builds it from Pulumi config. */
export interface StackSettings {
  readonly project: string;
  readonly stack: string;
  /** `prod` turns on the production rules. */
  readonly environment: Environment;
  readonly release: ReleaseSettings;
  readonly app: AppSettings;
  readonly images: BaseImages;
  readonly registry: RegistrySettings;
  /** Docker engine address (a swarm manager for engine=swarm); undefined means the local engine. */
  readonly dockerHost?: string;
  /** Set exactly when the target is a Docker Swarm (engine=swarm); otherwise containers on one host. */
  readonly swarm?: SwarmSettings;
  readonly services: ServiceSettings;
  readonly limits: LimitSettings;
  readonly edge: EdgeSettings;
  readonly redis: RedisSettings;
  readonly database: DatabaseSettings;
}

export interface SwarmSettings {
  /** `php-backend.node` label of the node holding Redis node i (index i); all different. */
  readonly redisNodes: readonly string[];
  /** `php-backend.node` labels of the nodes that run an edge proxy. */
  readonly edgeNodes: readonly string[];
  readonly updateParallelism: number;
  readonly updateDelaySeconds: number;
  readonly monitorSeconds: number;
  readonly convergeTimeoutSeconds: number;
  /** IPsec between the nodes on the stack's overlay network. */
  readonly encryptOverlay: boolean;
}

export interface ReleaseSettings {
  readonly backendVersion: string;
  readonly nginxVersion: string;
}

export interface AppSettings {
  readonly name: string;
  readonly dir: string;
  /** The team's own backend Dockerfile (project-relative); undefined: the one this program ships. */
  readonly dockerfile?: string;
  readonly url: string;
  /** The app's own health path; undefined: nginx's static one. */
  readonly healthPath?: string;
  /** Set by the stack, or undefined to have one generated. */
  readonly key?: pulumi.Output<string>;
  /** Extra non-secret environment (config key `appEnv`). */
  readonly env: Readonly<Record<string, string>>;
  /** Extra secret environment (config key `appSecretEnv`, set with --secret). */
  readonly secretEnv?: pulumi.Output<Record<string, string>>;
  /** The names in `secretEnv` (names are not secret; a target that hands secrets over as files needs them). */
  readonly secretEnvNames: readonly string[];
}

export interface BaseImages {
  readonly phpBase: string;
  readonly nginxBase: string;
  readonly redis: string;
  readonly haproxy: string;
  readonly registry: string;
  readonly postgres: string;
  readonly mysql: string;
}

export type RegistrySettings = LocalRegistrySettings | AcrRegistrySettings | ExternalRegistrySettings;

export interface LocalRegistrySettings {
  readonly kind: "local";
  readonly port: number;
  readonly namespace: string;
}

export interface AcrRegistrySettings {
  readonly kind: "acr";
  readonly region: string;
  /** Enterprise Edition instance; undefined selects the Personal Edition. */
  readonly instanceId?: string;
  readonly server: string;
  readonly namespace: string;
  readonly username: string;
  readonly password: pulumi.Output<string>;
}

export interface ExternalRegistrySettings {
  readonly kind: "external";
  readonly server: string;
  readonly namespace: string;
  readonly username: string;
  readonly password: pulumi.Output<string>;
}

export interface ServiceSettings {
  readonly fpmReplicas: number;
  readonly nginxReplicas: number;
  readonly workerReplicas: number;
  readonly fpmMaxChildren: number;
  readonly worker: WorkerSettings;
}

export interface WorkerSettings {
  readonly queue: string;
  readonly sleepSeconds: number;
  readonly tries: number;
  readonly maxTimeSeconds: number;
  readonly stopGraceSeconds: number;
}

export interface LimitSettings {
  readonly appMemoryMb: number;
  readonly nginxMemoryMb: number;
  readonly redisMemoryMb: number;
  readonly cpus: string;
  readonly logMaxSize: string;
  readonly logMaxFiles: number;
}

/** The edge terminates TLS with this certificate and key. */
export interface EdgeTls {
  /** PEM chain, leaf first. */
  readonly certificate: string;
  /** PEM private key, secret. */
  readonly key: pulumi.Output<string>;
}

export interface EdgeSettings {
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly bindAddress: string;
  /** `appUrl`'s origin (scheme, host, port): where HTTP requests are redirected when the edge has TLS. */
  readonly publicOrigin: string;
  /** Set when the edge terminates TLS: it serves HTTPS and redirects HTTP. */
  readonly tls?: EdgeTls;
  /** A load balancer in front terminates TLS: the edge passes on its X-Forwarded-Proto and -For. */
  readonly behindLoadBalancer: boolean;
  /** The app's health path, answered over plain HTTP too (for a load balancer's checks). */
  readonly appHealthPath?: string;
  /** Hosts served besides appUrl's (appHostAliases); requests for any other Host get no answer. */
  readonly hostAliases: readonly string[];
  /** Largest request body (MiB) at the edge, the release nginx and PHP alike. */
  readonly maxBodySizeMb: number;
}

export interface RedisSettings {
  readonly replicas: number;
  /** HAProxy containers routing to the current master. */
  readonly routers: number;
  readonly sentinels: number;
  readonly quorum: number;
  readonly serviceName: string;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
  readonly parallelSyncs: number;
  /** Set by the stack, or undefined to have one generated. */
  readonly password?: pulumi.Output<string>;
}

export type DbConnection = "pgsql" | "mysql";

/** The port each connection defaults to. */
export const DEFAULT_DB_PORT: Record<DbConnection, number> = { pgsql: 5432, mysql: 3306 };

export interface DatabaseSettings {
  readonly kind: "external" | "container";
  readonly connection: DbConnection;
  /** Host name the app connects to (the container's alias for kind=container). */
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly user: string;
  /** Set by the stack; undefined only for kind=container, where one is generated. */
  readonly password?: pulumi.Output<string>;
  /** An existing Docker network the app containers join to reach the database. */
  readonly network?: string;
}
