import * as pulumi from "@pulumi/pulumi";
import { ConfigSource } from "../../stacks/configReader";
import { ConfigError, parseSettings } from "../../stacks/settings";

/** A ConfigSource over a plain table; keys ending in "!" are secrets. */
function source(values: Record<string, unknown>): ConfigSource {
  const plain = (k: string) => values[k];
  const secret = (k: string) => values[`${k}!`];
  return {
    get: (k) => (plain(k) === undefined ? undefined : String(plain(k))),
    getSecret: (k) => (secret(k) === undefined ? undefined : pulumi.secret(String(secret(k)))),
    getObject: <T>(k: string) => plain(k) as T | undefined,
    getSecretObject: <T>(k: string) => (secret(k) === undefined ? undefined : (pulumi.secret(secret(k)) as pulumi.Output<T>)),
  };
}

/** A minimal valid prod configuration; each case below breaks it in one or more ways. */
const VALID_PROD = {
  version: "v1.4.2",
  registryKind: "acr",
  registryUsername: "deploy@1234",
  "registryPassword!": "pw",
  dbHost: "pgm-1.pg.rds.aliyuncs.com",
  "dbPassword!": "pw",
};

function problemsOf(values: Record<string, unknown>, stack = "prod"): ConfigError["problems"] {
  try {
    parseSettings(source(values), stack);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

test("the minimal prod configuration is valid", () => {
  expect(problemsOf(VALID_PROD)).toEqual([]);
  const s = parseSettings(source(VALID_PROD), "prod");
  expect(s.registry).toMatchObject({ kind: "acr", server: "registry.cn-hangzhou.aliyuncs.com", namespace: "app" });
  expect(s.release).toEqual({ backendVersion: "v1.4.2", nginxVersion: "v1.4.2" });
  expect(s.redis).toMatchObject({ replicas: 2, sentinels: 3, quorum: 2 });
});

const CASES: [string, Record<string, unknown>, string, RegExp, string][] = [
  // description, change, key, message, fix command
  ["missing version", { version: undefined }, "version", /is required/, "pulumi config set version v1.0.0 --stack prod"],
  ["latest in prod", { version: "latest" }, "version", /"latest" is refused in prod/, "pulumi config set version v1.0.0 --stack prod"],
  ["latest override in prod", { backendVersion: "latest" }, "backendVersion", /"latest" is refused in prod/, "pulumi config set backendVersion v1.0.0 --stack prod"],
  ["malformed version", { version: "1.4" }, "version", /not a release version/, "pulumi config set version v1.0.0 --stack prod"],
  ["malformed nginx override", { nginxVersion: "v1.4.2 beta" }, "nginxVersion", /not a valid image tag/, "pulumi config set nginxVersion v1.0.0 --stack prod"],
  ["zero replicas", { fpmReplicas: "0" }, "fpmReplicas", /out of range: must be between 1 and 50/, "pulumi config set fpmReplicas 2 --stack prod"],
  ["not a number", { workerReplicas: "two" }, "workerReplicas", /"two" is not a whole number/, "pulumi config set workerReplicas 1 --stack prod"],
  ["even sentinels", { sentinels: "4" }, "sentinels", /odd number, at least 3/, "pulumi config set sentinels 3 --stack prod"],
  ["too few sentinels", { sentinels: "1", sentinelQuorum: "1" }, "sentinels", /odd number, at least 3/, "pulumi config set sentinels 3 --stack prod"],
  ["quorum above sentinels", { sentinelQuorum: "4" }, "sentinelQuorum", /more than the 3 sentinels: must be 1..3/, "pulumi config set sentinelQuorum 2 --stack prod"],
  ["quorum zero", { sentinelQuorum: "0" }, "sentinelQuorum", /out of range: must be at least 1/, "pulumi config set sentinelQuorum 2 --stack prod"],
  ["unknown registry kind", { registryKind: "dockerhub" }, "registryKind", /"dockerhub" is not one of local, acr, external/, "pulumi config set registryKind local --stack prod"],
  ["port out of range", { edgeHttpPort: "70000" }, "edgeHttpPort", /between 1 and 65535/, "pulumi config set edgeHttpPort 8080 --stack prod"],
  ["bad image reference", { redisImage: "Redis:7.2" }, "redisImage", /not a valid image reference/, "pulumi config set redisImage registry.example.com/library/redis:7.2 --stack prod"],
  ["image reference with spaces", { nginxBaseImage: "nginx 1.27" }, "nginxBaseImage", /not a valid image reference/, "pulumi config set nginxBaseImage registry.example.com/library/redis:7.2 --stack prod"],
  ["missing registry password", { "registryPassword!": undefined }, "registryPassword", /is required when registryKind is acr/, "pulumi config set --secret registryPassword '<password>' --stack prod"],
  ["missing db password", { "dbPassword!": undefined }, "dbPassword", /is required for an external database/, "pulumi config set --secret dbPassword '<password>' --stack prod"],
  ["missing db host", { dbHost: undefined }, "dbHost", /is required when dbKind is external/, "pulumi config set dbHost pgm-xxxx.pg.rds.aliyuncs.com --stack prod"],
  ["database container in prod", { dbKind: "container" }, "dbKind", /not allowed in prod/, "pulumi config set dbKind external --stack prod"],
  ["enterprise ACR without server", { acrInstanceId: "cri-123" }, "registryServer", /is required when acrInstanceId is set/, "pulumi config set registryServer myinstance-registry.cn-hangzhou.cr.aliyuncs.com --stack prod"],
  ["bad env map", { appEnv: { "BAD-NAME": "x" } }, "appEnv", /"BAD-NAME" is not a valid environment variable name/, "pulumi config set --path appEnv.FEATURE_FLAG on --stack prod"],
  ["bad cpus", { cpus: "-1" }, "cpus", /not a positive number of CPUs/, "pulumi config set cpus 1.0 --stack prod"],
];

test.each(CASES)("%s is refused, naming the key and the fix", (_, change, key, message, fix) => {
  const problems = problemsOf({ ...VALID_PROD, ...change });
  const problem = problems.find((p) => p.key === key);
  expect(problem).toBeDefined();
  expect(problem!.message).toMatch(message);
  expect(problem!.fix).toBe(fix);
});

test("every problem is reported at once, in one error that names keys and fixes", () => {
  let error: unknown;
  try {
    parseSettings(source({ ...VALID_PROD, version: "latest", sentinels: "2", fpmReplicas: "0", registryKind: "s3" }), "prod");
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toMatch(/^Invalid configuration for stack "prod" \(4 problems\):/);
  for (const key of ["version", "sentinels", "fpmReplicas", "registryKind"]) {
    expect(message).toContain(`php-backend:${key}:`);
  }
  expect(message).toContain("fix: pulumi config set sentinels 3 --stack prod");
});

test("latest is accepted outside prod", () => {
  expect(problemsOf({ ...VALID_PROD, version: "latest" }, "dev")).toEqual([]);
});

test("secrets stay Outputs marked secret", async () => {
  const s = parseSettings(source({ ...VALID_PROD, "redisPassword!": "r3dis-secret" }), "prod");
  expect(pulumi.Output.isInstance(s.redis.password)).toBe(true);
  expect(await pulumi.isSecret(s.redis.password!)).toBe(true);
  expect(s.app.key).toBeUndefined();
});
