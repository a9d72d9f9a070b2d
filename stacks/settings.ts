import * as pulumi from "@pulumi/pulumi";
import { ConfigReader, ConfigSource } from "./configReader";
import { checkVersion, isImageReference, isRegistryServer } from "./references";
import { KeyName, PROJECT } from "./schema";
import * as t from "./types";

export { ConfigError } from "./configReader";
export * from "./types";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Reads the current stack's configuration (the Pulumi program's entry point). */
export function loadSettings(): t.StackSettings {
  return parseSettings(new pulumi.Config(PROJECT), pulumi.getStack());
}

/**
 * Turns raw configuration into StackSettings, or throws one ConfigError that lists every
 * problem with the command that fixes it. Nothing is declared before this returns.
 */
export function parseSettings(source: ConfigSource, stack: string): t.StackSettings {
  const r = new ConfigReader(source, stack);
  const environment = r.string("environment") ?? stack;
  const isProd = environment === "prod";

  const settings: t.StackSettings = {
    project: PROJECT,
    stack,
    environment,
    release: readRelease(r, isProd),
    app: readApp(r),
    images: readImages(r),
    registry: readRegistry(r),
    dockerHost: r.string("dockerHost"),
    services: readServices(r),
    limits: readLimits(r),
    edge: { httpPort: r.integer("edgeHttpPort", 1, 65535), bindAddress: r.string("edgeBindAddress")! },
    redis: readRedis(r),
    database: readDatabase(r, isProd),
  };
  r.throwIfProblems();
  return settings;
}

function readRelease(r: ConfigReader, isProd: boolean): t.ReleaseSettings {
  const version = r.requiredString("version", "v1.0.0", "(the release version of the images)");
  const check = (key: KeyName, value: string) => {
    const result = checkVersion(value, isProd);
    if (value !== "" && !result.ok) r.report(key, result.reason, "v1.0.0");
    return value;
  };
  check("version", version);
  // An override is checked on its own key; without one the image follows `version`.
  const pick = (key: KeyName): string => {
    const override = r.string(key);
    return override === undefined ? version : check(key, override);
  };
  return { backendVersion: pick("backendVersion"), nginxVersion: pick("nginxVersion") };
}

function readApp(r: ConfigReader): t.AppSettings {
  const name = r.string("appName")!;
  if (!DNS_LABEL.test(name)) r.report("appName", `"${name}" must be lower-case letters, digits and dashes`, "laravel");
  const env = r.object<Record<string, unknown>>("appEnv") ?? {};
  checkEnvMap(r, "appEnv", env);
  const secretEnv = r.secretObject<Record<string, string>>("appSecretEnv");
  return {
    name,
    dir: r.string("appDir")!,
    url: r.string("appUrl")!,
    key: r.secret("appKey"),
    env: env as Record<string, string>,
    secretEnv,
  };
}

function checkEnvMap(r: ConfigReader, key: string, env: unknown): void {
  const example = `--path ${key}.FEATURE_FLAG on`;
  if (typeof env !== "object" || env === null || Array.isArray(env)) {
    r.reportPath(key, "must be a map of environment variable names to strings", example);
    return;
  }
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name)) r.reportPath(key, `"${name}" is not a valid environment variable name`, example);
    if (typeof value !== "string") r.reportPath(key, `value of ${name} must be a string`, `--path '${key}.${name}' value`);
  }
}

function readImages(r: ConfigReader): t.BaseImages {
  const image = (key: KeyName): string => {
    const value = r.string(key)!;
    if (!isImageReference(value)) r.report(key, `"${value}" is not a valid image reference`, "registry.example.com/library/redis:7.2");
    return value;
  };
  return {
    phpBase: image("phpBaseImage"),
    nginxBase: image("nginxBaseImage"),
    redis: image("redisImage"),
    registry: image("registryImage"),
    postgres: image("postgresImage"),
  };
}

function readRegistry(r: ConfigReader): t.RegistrySettings {
  const kind = r.oneOf("registryKind", ["local", "acr", "external"] as const);
  const namespace = r.string("imageNamespace")!;
  if (!DNS_LABEL.test(namespace)) r.report("imageNamespace", `"${namespace}" must be lower-case letters, digits and dashes`, "app");
  if (kind === "local") return { kind, port: r.integer("registryPort", 1, 65535), namespace };

  const why = `when registryKind is ${kind}`;
  const username = r.requiredString("registryUsername", "deploy@example", why);
  const password = r.secret("registryPassword");
  if (!password) r.report("registryPassword", `is required ${why}`, "<password>", true);
  const secret = password ?? pulumi.secret("");

  if (kind === "external") {
    const server = r.requiredString("registryServer", "registry.example.com", why);
    if (server && !isRegistryServer(server)) r.report("registryServer", `"${server}" is not a registry host[:port]`, "registry.example.com");
    return { kind, server, namespace, username, password: secret };
  }

  const region = r.string("acrRegion")!;
  const instanceId = r.string("acrInstanceId");
  const server = instanceId
    ? r.requiredString("registryServer", "myinstance-registry.cn-hangzhou.cr.aliyuncs.com", "when acrInstanceId is set")
    : r.string("registryServer") ?? `registry.${region}.aliyuncs.com`;
  if (server && !isRegistryServer(server)) r.report("registryServer", `"${server}" is not a registry host[:port]`, `registry.${region}.aliyuncs.com`);
  return { kind, region, instanceId, server, namespace, username, password: secret };
}

function readServices(r: ConfigReader): t.ServiceSettings {
  return {
    fpmReplicas: r.integer("fpmReplicas", 1, 50),
    nginxReplicas: r.integer("nginxReplicas", 1, 50),
    workerReplicas: r.integer("workerReplicas", 1, 50),
    fpmMaxChildren: r.integer("fpmMaxChildren", 1, 1000),
    worker: {
      queue: r.string("workerQueue")!,
      sleepSeconds: r.integer("workerSleep", 0, 3600),
      tries: r.integer("workerTries", 1, 100),
      maxTimeSeconds: r.integer("workerMaxTime", 0),
      stopGraceSeconds: r.integer("workerStopGraceSeconds", 1, 3600),
    },
  };
}

/**
 * CPUs in the form the docker provider stores after reading the container back
 * (terraform-provider-docker helpers.go, nanoInt64ToDecimalString: "1" -> "1.0", "0.50" -> "0.5"),
 * so the value the program sends never differs from the stored one: `cpus` forces a replacement.
 */
export function providerCpus(cpus: string): string {
  const nano = Math.round(Number(cpus) * 1e9);
  const whole = Math.trunc(nano / 1e9);
  const fraction = String(nano % 1e9).padStart(9, "0");
  if ((`${whole}.${fraction}`.match(/0/g) ?? []).length === 9) return `${whole}.${fraction[0]}`;
  return `${whole}.${fraction}`.replace(/0+$/, "");
}

function readLimits(r: ConfigReader): t.LimitSettings {
  const cpus = r.string("cpus")!;
  if (!/^\d+(\.\d+)?$/.test(cpus) || Number(cpus) <= 0) r.report("cpus", `"${cpus}" is not a positive number of CPUs`, "1.0");
  const logMaxSize = r.string("logMaxSize")!;
  if (!/^\d+[kmg]$/.test(logMaxSize)) r.report("logMaxSize", `"${logMaxSize}" is not a size like 10m`, "10m");
  return {
    appMemoryMb: r.integer("appMemoryMb", 64),
    nginxMemoryMb: r.integer("nginxMemoryMb", 16),
    redisMemoryMb: r.integer("redisMemoryMb", 32),
    cpus: providerCpus(cpus),
    logMaxSize,
    logMaxFiles: r.integer("logMaxFiles", 1, 100),
  };
}

function readRedis(r: ConfigReader): t.RedisSettings {
  const sentinels = r.integer("sentinels", 1, 15);
  if (sentinels < 3 || sentinels % 2 === 0) {
    r.report("sentinels", `${sentinels} sentinels cannot elect a leader safely: use an odd number, at least 3`, "3");
  }
  const quorum = r.integer("sentinelQuorum", 1);
  if (quorum > sentinels) r.report("sentinelQuorum", `${quorum} is more than the ${sentinels} sentinels: must be 1..${sentinels}`, String(Math.floor(sentinels / 2) + 1));
  const serviceName = r.string("redisServiceName")!;
  if (!/^[A-Za-z0-9._-]+$/.test(serviceName)) r.report("redisServiceName", `"${serviceName}" must be letters, digits, '.', '_' or '-'`, "app-redis");
  return {
    replicas: r.integer("redisReplicas", 1, 10),
    sentinels,
    quorum,
    serviceName,
    downAfterMs: r.integer("sentinelDownAfterMs", 1000),
    failoverTimeoutMs: r.integer("sentinelFailoverTimeoutMs", 1000),
    parallelSyncs: r.integer("sentinelParallelSyncs", 1),
    password: r.secret("redisPassword"),
  };
}

function readDatabase(r: ConfigReader, isProd: boolean): t.DatabaseSettings {
  const kind = r.oneOf("dbKind", ["external", "container"] as const);
  const password = r.secret("dbPassword");
  if (kind === "container" && isProd) r.report("dbKind", "a database container is not allowed in prod: use a managed database", "external");
  if (kind === "external" && !password) {
    r.report("dbPassword", "is required for an external database", "<password>", true);
  }
  const host = kind === "container" ? "database" : r.requiredString("dbHost", "pgm-xxxx.pg.rds.aliyuncs.com", "when dbKind is external");
  return {
    kind,
    connection: r.string("dbConnection")!,
    host,
    port: r.integer("dbPort", 1, 65535),
    name: r.string("dbName")!,
    user: r.string("dbUser")!,
    password,
    network: r.string("dbNetwork"),
  };
}
