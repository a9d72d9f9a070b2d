import * as pulumi from "@pulumi/pulumi";
import { DATABASE_ALIAS } from "../release/names";
import { checkAppDirectory, checkOwnDockerfile } from "./appDirectory";
import { readEdge } from "./edgeTls";
import { ConfigReader, ConfigSource } from "./configReader";
import { checkOverlap, readEnvMap } from "./envMaps";
import { pulumiConfigSource } from "./pulumiConfigSource";
import { checkVersion } from "./references";
import { Environment, ENVIRONMENTS, KeyName, PROJECT } from "./schema";
import * as t from "./types";

export { ConfigError } from "./configReader";
export * from "./types";

/** Reads the current stack's configuration (the Pulumi program's entry point). */
export function loadSettings(): t.StackSettings {
  return parseSettings(pulumiConfigSource(), pulumi.getStack());
}

/**
 * Turns raw configuration into StackSettings, or throws one ConfigError that lists every
 * problem with what fixes it. Nothing is declared before this returns.
 */
export function parseSettings(source: ConfigSource, stack: string): t.StackSettings {
  const r = new ConfigReader(source, stack);
  r.checkUnknownKeys();
  r.checkNeedlessSecrets();
  const environment = readEnvironment(r);
  const isProd = environment === "prod";

  const app = readApp(r);
  const redis = readRedis(r);
  const settings: t.StackSettings = {
    project: PROJECT,
    stack,
    environment,
    release: readRelease(r, isProd),
    app,
    images: {
      phpBase: r.string("phpBaseImage")!,
      nginxBase: r.string("nginxBaseImage")!,
      redis: r.string("redisImage")!,
      haproxy: r.string("haproxyImage")!,
      registry: r.string("registryImage")!,
      postgres: r.string("postgresImage")!,
      mysql: r.string("mysqlImage")!,
    },
    registry: readRegistry(r),
    dockerHost: r.string("dockerHost"),
    swarm: readSwarm(r, redis),
    services: readServices(r),
    limits: readLimits(r),
    edge: readEdge(r, app),
    redis,
    database: readDatabase(r, isProd),
  };
  r.throwIfProblems();
  return settings;
}

/**
 * `environment`, defaulting to the stack's name. A stack named prod or prod-* is always prod:
 * its rules cannot be switched off by a stray `environment` value.
 */
function readEnvironment(r: ConfigReader): Environment {
  const prodStack = r.stack === "prod" || r.stack.startsWith("prod-");
  const named = (ENVIRONMENTS as readonly string[]).includes(r.stack) ? (r.stack as Environment) : undefined;
  const suggestion = prodStack ? "prod" : named ?? "dev";
  const raw = r.raw("environment");
  const set = (ENVIRONMENTS as readonly string[]).includes(raw ?? "") ? (raw as Environment) : undefined;
  if (raw !== undefined && set === undefined) {
    r.report("environment", `"${raw}" is not one of ${ENVIRONMENTS.join(", ")}`, suggestion);
  } else if (prodStack && set !== undefined && set !== "prod") {
    r.report("environment", `is "${set}", but stack "${r.stack}" always runs as prod (its production rules cannot be turned off)`, "prod");
  } else if (raw === undefined && named === undefined && !prodStack) {
    r.report("environment", `is required: the stack name "${r.stack}" is not one of ${ENVIRONMENTS.join(", ")}`, suggestion);
  }
  return prodStack ? "prod" : set ?? named ?? "dev";
}

function readRelease(r: ConfigReader, isProd: boolean): t.ReleaseSettings {
  const version = r.requiredString("version", "(the release version of the images)");
  const check = (key: KeyName, value: string) => {
    const result = checkVersion(value, isProd);
    if (value !== "" && !result.ok) r.report(key, result.reason);
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
  const dir = r.string("appDir")!;
  for (const problem of checkAppDirectory(dir, r.setCommand("appDir", "path/to/laravel-app"))) {
    r.reportWithFix("appDir", problem.message, problem.fix);
  }
  const dockerfile = r.string("backendDockerfile");
  if (dockerfile !== undefined) {
    for (const problem of checkOwnDockerfile(dockerfile, dir, r.setCommand("backendDockerfile", "path/to/Dockerfile"))) {
      r.reportWithFix("backendDockerfile", problem.message, problem.fix);
    }
  }
  const env = readEnvMap(r, "appEnv");
  const secretEnv = readSecretEnv(r);
  checkOverlap(r, env, secretEnv ?? {});
  return {
    name: r.string("appName")!,
    dir,
    dockerfile,
    url: r.string("appUrl")!,
    healthPath: r.string("healthPath"),
    key: r.secret("appKey"),
    env,
    secretEnv: secretEnv && pulumi.secret(secretEnv),
    secretEnvNames: Object.keys(secretEnv ?? {}),
  };
}

/** `appSecretEnv`'s names are checked like appEnv's; its values stay secret. */
function readSecretEnv(r: ConfigReader): Record<string, string> | undefined {
  if (!r.isSet("appSecretEnv")) return undefined;
  if (!r.isSecretStored("appSecretEnv")) {
    r.reportWithFix("appSecretEnv", "is stored in plain text: each entry must be set with --secret", `pulumi config rm appSecretEnv --stack ${r.stack}, then pulumi config set --secret --path appSecretEnv.NAME '<value>' --stack ${r.stack}`);
  }
  return readEnvMap(r, "appSecretEnv");
}

function readRegistry(r: ConfigReader): t.RegistrySettings {
  const kind = r.choice<t.RegistrySettings["kind"]>("registryKind");
  const namespace = r.string("imageNamespace")!;
  if (kind === "local") return { kind, port: r.integer("registryPort"), namespace };

  const why = `when registryKind is ${kind}`;
  const username = r.requiredString("registryUsername", why);
  const password = r.secret("registryPassword");
  if (!password) r.report("registryPassword", `is required ${why}`);
  const secret = password ?? pulumi.secret("");
  if (kind === "external") {
    return { kind, server: r.requiredString("registryServer", why), namespace, username, password: secret };
  }
  const region = r.string("acrRegion")!;
  const instanceId = r.string("acrInstanceId");
  const server = instanceId
    ? r.requiredString("registryServer", "when acrInstanceId is set (the instance's registry domain)")
    : r.string("registryServer") ?? `registry.${region}.aliyuncs.com`;
  return { kind, region, instanceId, server, namespace, username, password: secret };
}

const SWARM_KEYS = [
  "swarmRedisNodes", "swarmEdgeNodes", "swarmUpdateParallelism", "swarmUpdateDelaySeconds", "swarmMonitorSeconds", "swarmEncryptOverlay", "swarmConvergeTimeoutSeconds",
] as const;

/** The swarm target's settings when engine=swarm; a swarm key on the docker target is refused. */
function readSwarm(r: ConfigReader, redis: t.RedisSettings): t.SwarmSettings | undefined {
  if (r.choice<"docker" | "swarm">("engine") === "docker") {
    for (const key of SWARM_KEYS.filter((k) => r.isSet(k))) {
      r.reportWithFix(key, "has no effect with engine=docker", `pulumi config rm ${key} --stack ${r.stack} (or pulumi config set engine swarm --stack ${r.stack})`);
    }
    return undefined;
  }
  if (r.isSet("dbNetwork")) {
    r.reportWithFix("dbNetwork", "is not supported with engine=swarm: the tasks reach the database over the nodes' own network (dbHost)", `pulumi config rm dbNetwork --stack ${r.stack}`);
  }
  if (r.isSet("edgeBindAddress")) {
    r.reportWithFix("edgeBindAddress", "has no effect with engine=swarm (an edge publishes on every address of its node)", `pulumi config rm edgeBindAddress --stack ${r.stack}`);
  }
  const nodes = (key: "swarmRedisNodes" | "swarmEdgeNodes") => r.requiredString(key, "when engine is swarm").split(",").filter((n) => n !== "");
  const redisNodes = nodes("swarmRedisNodes");
  const dataNodes = redis.replicas + 1;
  if (redisNodes.length > 0 && redisNodes.length !== dataNodes) {
    r.report("swarmRedisNodes", `names ${redisNodes.length} node(s) for ${dataNodes} Redis nodes (the master and redisReplicas=${dataNodes - 1}): give exactly ${dataNodes}`);
  } else if (new Set(redisNodes).size !== redisNodes.length) {
    r.report("swarmRedisNodes", "names a node twice: each Redis node needs a node of its own, or losing that node loses two of them");
  }
  const edgeNodes = nodes("swarmEdgeNodes");
  if (new Set(edgeNodes).size !== edgeNodes.length) r.report("swarmEdgeNodes", "names a node twice");
  return {
    redisNodes,
    edgeNodes,
    updateParallelism: r.integer("swarmUpdateParallelism"),
    updateDelaySeconds: r.integer("swarmUpdateDelaySeconds"),
    monitorSeconds: r.integer("swarmMonitorSeconds"),
    convergeTimeoutSeconds: r.integer("swarmConvergeTimeoutSeconds"),
    encryptOverlay: r.choice<"on" | "off">("swarmEncryptOverlay") === "on",
  };
}

function readServices(r: ConfigReader): t.ServiceSettings {
  return {
    fpmReplicas: r.integer("fpmReplicas"),
    nginxReplicas: r.integer("nginxReplicas"),
    workerReplicas: r.integer("workerReplicas"),
    fpmMaxChildren: r.integer("fpmMaxChildren"),
    worker: {
      queue: r.string("workerQueue")!,
      sleepSeconds: r.integer("workerSleep"),
      tries: r.integer("workerTries"),
      maxTimeSeconds: r.integer("workerMaxTime"),
      stopGraceSeconds: r.integer("workerStopGraceSeconds"),
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
  let cpus = r.string("cpus")!;
  if (Number(cpus) <= 0) {
    r.report("cpus", `"${cpus}" must be more than 0`);
    cpus = "1.0";
  }
  return {
    appMemoryMb: r.integer("appMemoryMb"),
    nginxMemoryMb: r.integer("nginxMemoryMb"),
    redisMemoryMb: r.integer("redisMemoryMb"),
    cpus: providerCpus(cpus),
    logMaxSize: r.string("logMaxSize")!,
    logMaxFiles: r.integer("logMaxFiles"),
  };
}

function readRedis(r: ConfigReader): t.RedisSettings {
  const sentinels = r.integer("sentinels");
  if (sentinels % 2 === 0) r.report("sentinels", `${sentinels} sentinels cannot always find a majority: use an odd number`, String(sentinels + 1));
  const quorum = r.integer("sentinelQuorum");
  if (quorum > sentinels) r.report("sentinelQuorum", `${quorum} is more than the ${sentinels} sentinels: must be 1..${sentinels}`, String(Math.floor(sentinels / 2) + 1));
  return {
    replicas: r.integer("redisReplicas"),
    routers: r.integer("redisRouters"),
    sentinels,
    quorum,
    serviceName: r.string("redisServiceName")!,
    downAfterMs: r.integer("sentinelDownAfterMs"),
    failoverTimeoutMs: r.integer("sentinelFailoverTimeoutMs"),
    parallelSyncs: r.integer("sentinelParallelSyncs"),
    password: r.secret("redisPassword"),
  };
}

function readDatabase(r: ConfigReader, isProd: boolean): t.DatabaseSettings {
  const kind = r.choice<t.DatabaseSettings["kind"]>("dbKind");
  const password = r.secret("dbPassword");
  if (kind === "container" && isProd) r.report("dbKind", "a database container is not allowed in prod: use a managed database", "external");
  if (kind === "external" && !password) r.report("dbPassword", "is required for an external database");
  if (kind === "container" && r.isSet("dbHost")) {
    r.reportWithFix("dbHost", `has no effect with dbKind=container (the app reaches the container as "${DATABASE_ALIAS}")`, `pulumi config rm dbHost --stack ${r.stack}`);
  }
  const connection = r.choice<t.DbConnection>("dbConnection");
  return {
    kind,
    connection,
    host: kind === "container" ? DATABASE_ALIAS : r.requiredString("dbHost", "when dbKind is external"),
    port: r.integer("dbPort", t.DEFAULT_DB_PORT[connection]),
    name: r.string("dbName")!,
    user: r.string("dbUser")!,
    password,
    network: r.string("dbNetwork"),
  };
}
