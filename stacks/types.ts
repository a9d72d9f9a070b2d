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
  /** Docker engine address; undefined means the local engine. */
  readonly dockerHost?: string;
  readonly services: ServiceSettings;
  readonly limits: LimitSettings;
  readonly edge: EdgeSettings;
  readonly redis: RedisSettings;
  readonly database: DatabaseSettings;
}

export interface ReleaseSettings {
  readonly backendVersion: string;
  readonly nginxVersion: string;
}

export interface AppSettings {
  readonly name: string;
  readonly dir: string;
  readonly url: string;
  /** Set by the stack, or undefined to have one generated. */
  readonly key?: pulumi.Output<string>;
  /** Extra non-secret environment (config key `appEnv`). */
  readonly env: Readonly<Record<string, string>>;
  /** Extra secret environment (config key `appSecretEnv`, set with --secret). */
  readonly secretEnv?: pulumi.Output<Record<string, string>>;
}

export interface BaseImages {
  readonly phpBase: string;
  readonly nginxBase: string;
  readonly redis: string;
  readonly registry: string;
  readonly postgres: string;
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

export interface EdgeSettings {
  readonly httpPort: number;
  readonly bindAddress: string;
}

export interface RedisSettings {
  readonly replicas: number;
  readonly sentinels: number;
  readonly quorum: number;
  readonly serviceName: string;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
  readonly parallelSyncs: number;
  /** Set by the stack, or undefined to have one generated. */
  readonly password?: pulumi.Output<string>;
}

export interface DatabaseSettings {
  readonly kind: "external" | "container";
  readonly connection: "pgsql";
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
