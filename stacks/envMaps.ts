/** Checks of `appEnv` and `appSecretEnv`: names, values, and the variables the program owns. */
import { OWNED_ENV, OwnedEnvName } from "../release/environment";
import { ConfigReader } from "./configReader";
import { ENV_NAME, SECRET_LOOKING_ENV } from "./formats";
import { KeyName } from "./schema";

/** The configuration key behind an owned variable, when a user may mean that one. */
const OWNED_BY: Partial<Record<OwnedEnvName, KeyName>> = {
  APP_NAME: "appName", APP_KEY: "appKey", APP_URL: "appUrl", APP_ENV: "environment", RELEASE_VERSION: "version",
  REDIS_PASSWORD: "redisPassword", REDIS_SENTINEL_SERVICE: "redisServiceName", DB_CONNECTION: "dbConnection",
  DB_HOST: "dbHost", DB_PORT: "dbPort", DB_DATABASE: "dbName", DB_USERNAME: "dbUser", DB_PASSWORD: "dbPassword",
};

/** `key.NAME` as `pulumi config --path` takes it (bracketed when NAME is not an identifier). */
const pathOf = (key: string, name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${key}.${name}` : `'${key}["${name}"]'`);

/**
 * The entries of a map key, each name checked; invalid entries are reported and left out.
 * Plain values may be strings, numbers or booleans (`--path` stores `8080` as a number).
 */
export function readEnvMap(r: ConfigReader, key: "appEnv" | "appSecretEnv"): Record<string, string> {
  const raw = r.object(key);
  const secret = key === "appSecretEnv";
  const rm = (name: string) => `pulumi config rm --path ${pathOf(key, name)} --stack ${r.stack}`;
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    r.reportWithFix(key, "must be a map of environment variable names to values", `pulumi config rm ${key} --stack ${r.stack}, then pulumi config set ${secret ? "--secret " : ""}--path ${key}.NAME value`);
    return {};
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!ENV_NAME.test(name)) {
      r.reportWithFix(key, `"${name}" is not a valid environment variable name (letters, digits, '_', not starting with a digit)`, rm(name));
    } else if ((OWNED_ENV as readonly string[]).includes(name)) {
      const owner = OWNED_BY[name as OwnedEnvName];
      r.reportWithFix(key, `${name} is set by the program${owner ? ` from ${owner}` : ""} and cannot be overridden`, `${rm(name)}${owner ? `, then set ${owner}` : ""}`);
    } else if (!secret && SECRET_LOOKING_ENV.test(name)) {
      r.reportWithFix(key, `${name} looks like a credential: it belongs in appSecretEnv, set with --secret`, `${rm(name)} && pulumi config set --secret --path appSecretEnv.${name} '<value>' --stack ${r.stack}`);
    } else if (!["string", "number", "boolean"].includes(typeof value)) {
      r.reportWithFix(key, `the value of ${name} must be text, not ${value === null ? "null" : Array.isArray(value) ? "a list" : "a map"}`, `pulumi config set ${secret ? "--secret " : ""}--path ${pathOf(key, name)} '<value>' --stack ${r.stack}`);
    } else {
      env[name] = String(value);
    }
  }
  return env;
}

/** Names given in both maps: which value wins would be an accident of order. */
export function checkOverlap(r: ConfigReader, plain: Record<string, string>, secret: Record<string, string>): void {
  for (const name of Object.keys(plain).filter((n) => n in secret)) {
    r.reportWithFix("appEnv", `${name} is also set in appSecretEnv`, `pulumi config rm --path ${pathOf("appEnv", name)} --stack ${r.stack}`);
  }
}
