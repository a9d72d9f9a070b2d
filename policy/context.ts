/**
 * What the policies know about the stack they run for. The Pulumi CLI starts a Node.js pack
 * with the stack's name in PULUMI_NODEJS_STACK and the stack's whole config, secrets decrypted,
 * as JSON in PULUMI_CONFIG (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go,
 * constructEnv), so `pulumi.getStack()` and `pulumi.runtime.allConfig()` work in a pack
 * (index.ts reads them). It does not say which keys are secret: the pack keeps its own list.
 * This module is pure, so tests build a context from any stack file.
 */
export const PROJECT = "php-backend";

/** The program's secret keys (stacks/schema.ts, `secret: true`; a unit test keeps them equal). */
export const SECRET_KEYS = ["appKey", "appSecretEnv", "registryPassword", "tlsKey", "redisPassword", "dbPassword"] as const;

export interface PackContext {
  readonly stack: string;
  /** The production rules apply: stack `prod` or `prod-*`, or `environment: prod` (the program's own rule). */
  readonly prod: boolean;
  /** Data must survive destroy and renames: the environment (config `environment`, else the stack name) is dev or prod. */
  readonly protectData: boolean;
  /** Plaintext values of the stack's secret config, to look for in plain fields. */
  readonly secretValues: readonly string[];
}

export const isProdStack = (stack: string) => stack === "prod" || stack.startsWith("prod-");

/** A context from a stack name and its config as the engine passes it (`php-backend:key` → string). */
export function contextFromConfig(stack: string, config: Readonly<Record<string, string>>): PackContext {
  const get = (key: string): string | undefined => config[`${PROJECT}:${key}`];
  const secretValues = SECRET_KEYS.flatMap((key) => {
    const value = get(key);
    if (value === undefined || value === "") return [];
    // appSecretEnv is a map (`--path appSecretEnv.NAME`): the engine passes it as a JSON string.
    return key === "appSecretEnv" ? mapValues(value) : [value];
  });
  const prod = isProdStack(stack) || get("environment") === "prod";
  const environment = get("environment") ?? stack;
  return { stack, prod, protectData: prod || environment === "dev", secretValues };
}

/** The values of a JSON map; anything else is taken as one secret value. */
function mapValues(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      return Object.values(parsed).filter((v): v is string => typeof v === "string" && v !== "");
    }
  } catch {
    // not JSON
  }
  return [value];
}
