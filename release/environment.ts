import * as pulumi from "@pulumi/pulumi";
import { StackSettings } from "../stacks/types";

/**
 * The environment variables the program sets in every app container. `appEnv` and
 * `appSecretEnv` may add others but never one of these (the settings refuse it), so a stack
 * file cannot silently replace a secret or the wiring with a plain value.
 */
export const OWNED_ENV = [
  "APP_NAME", "APP_ENV", "APP_KEY", "APP_DEBUG", "APP_URL", "LOG_CHANNEL", "RELEASE_VERSION",
  "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_SENTINELS", "REDIS_SENTINEL_SERVICE", "QUEUE_CONNECTION", "CACHE_DRIVER",
  "DB_CONNECTION", "DB_HOST", "DB_PORT", "DB_DATABASE", "DB_USERNAME", "DB_PASSWORD",
] as const;
export type OwnedEnvName = (typeof OWNED_ENV)[number];

/** What the environment refers to that exists only once resources are declared. */
export interface EnvironmentRefs {
  /** Secret, like the passwords. */
  readonly appKey: pulumi.Input<string>;
  readonly redisPassword: pulumi.Input<string>;
  readonly dbPassword: pulumi.Input<string>;
  /** "host:port" of every sentinel. */
  readonly sentinels: readonly string[];
  /** What leads to the current master (the Redis routers). */
  readonly redisRouter: { readonly host: string; readonly port: number };
  readonly redisServiceName: string;
}

/** The program's variables, by name (typed so that exactly the OWNED_ENV names are set). */
export function ownedEnvironment(s: StackSettings, refs: EnvironmentRefs): Record<OwnedEnvName, pulumi.Input<string>> {
  return {
    APP_NAME: s.app.name,
    APP_ENV: s.environment,
    APP_KEY: refs.appKey,
    APP_DEBUG: "false",
    APP_URL: s.app.url,
    LOG_CHANNEL: "stderr",
    RELEASE_VERSION: s.release.backendVersion,
    REDIS_HOST: refs.redisRouter.host,
    REDIS_PORT: String(refs.redisRouter.port),
    REDIS_PASSWORD: refs.redisPassword,
    REDIS_SENTINELS: refs.sentinels.join(","),
    REDIS_SENTINEL_SERVICE: refs.redisServiceName,
    QUEUE_CONNECTION: "redis",
    CACHE_DRIVER: "redis",
    DB_CONNECTION: s.database.connection,
    DB_HOST: s.database.host,
    DB_PORT: String(s.database.port),
    DB_DATABASE: s.database.name,
    DB_USERNAME: s.database.user,
    DB_PASSWORD: refs.dbPassword,
  };
}

/**
 * The whole app environment as `KEY=value` lines: the program's variables, then `appEnv`, then
 * `appSecretEnv`. Secret as a whole, since it holds the passwords.
 */
export function appEnvironment(s: StackSettings, refs: EnvironmentRefs): pulumi.Output<string[]> {
  const plain = pulumi.output({ ...ownedEnvironment(s, refs), ...s.app.env }).apply(envLines);
  const lines = s.app.secretEnv ? pulumi.all([plain, s.app.secretEnv]).apply(([base, extra]) => [...base, ...envLines(extra)]) : plain;
  return pulumi.secret(lines);
}

export function envLines(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/** The program's variables that hold secrets. */
export const SECRET_ENV = ["APP_KEY", "REDIS_PASSWORD", "DB_PASSWORD"] as const satisfies readonly OwnedEnvName[];

/**
 * The app environment split for a target that hands secrets over as files (Docker secrets):
 * every plain variable, and each secret one (the program's and every `appSecretEnv` entry) by name.
 */
export function splitAppEnvironment(s: StackSettings, refs: EnvironmentRefs) {
  const owned: Record<string, pulumi.Input<string>> = ownedEnvironment(s, refs);
  const secretNames = new Set<string>(SECRET_ENV);
  const plain = Object.fromEntries(Object.entries(owned).filter(([name]) => !secretNames.has(name))) as Record<string, string>;
  const secret: Record<string, pulumi.Output<string>> = Object.fromEntries(SECRET_ENV.map((name) => [name, pulumi.secret(owned[name])]));
  for (const name of s.app.secretEnvNames) secret[name] = pulumi.secret(s.app.secretEnv!.apply((env) => env[name]));
  return { plain: { ...plain, ...s.app.env }, secret };
}
