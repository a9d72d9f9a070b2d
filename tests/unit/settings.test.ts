import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parseSettings } from "../../stacks/settings";
import { selfSignedCertificate } from "../../harness/tls";
import { configSource as source } from "./support/configSource";

const WWW = selfSignedCertificate(["www.example.com"]);
const OTHER = selfSignedCertificate(["other.example.com"]);
/** prod serving https://www.example.com with the edge terminating TLS. */
const HTTPS = { appUrl: "https://www.example.com", tlsCertificate: WWW.certificate, "tlsKey!": WWW.key };
const SET_CERT = `pulumi config set tlsCertificate -- "$(cat fullchain.pem)" --stack prod`;

/** A minimal valid prod configuration; each case below breaks it in one way. */
const VALID_PROD = {
  version: "v1.4.2",
  registryKind: "acr",
  registryUsername: "deploy@1234",
  "registryPassword!": "registry-pw",
  dbHost: "pgm-1.pg.rds.aliyuncs.com",
  "dbPassword!": "database-pw",
};
/** The swarm target's own keys, valid with the default three Redis nodes. */
const SWARM = { engine: "swarm", swarmRedisNodes: "a,b,c", swarmEdgeNodes: "a" };
/** A minimal valid dev configuration (local registry, database container). */
const VALID_DEV = { version: "v1.4.2", dbKind: "container" };

function errorOf(values: Record<string, unknown>, stack: string): ConfigError | undefined {
  try {
    parseSettings(source(values), stack);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  return undefined;
}
const problemsOf = (values: Record<string, unknown>, stack = "prod") => errorOf(values, stack)?.problems ?? [];

test("the minimal prod and dev configurations are valid", () => {
  expect(problemsOf(VALID_PROD)).toEqual([]);
  expect(problemsOf(VALID_DEV, "dev")).toEqual([]);
  const s = parseSettings(source(VALID_PROD), "prod");
  expect(s.environment).toBe("prod");
  expect(s.registry).toMatchObject({ kind: "acr", server: "registry.cn-hangzhou.aliyuncs.com", namespace: "app" });
  expect(s.release).toEqual({ backendVersion: "v1.4.2", nginxVersion: "v1.4.2" });
  expect(s.redis).toMatchObject({ replicas: 2, sentinels: 3, quorum: 2 });
});

const RM = (path: string) => `pulumi config rm --path ${path} --stack prod`;
const SET = (key: string, value: string) => `pulumi config set ${key} ${value} --stack prod`;
const SET_SECRET = (key: string, value: string) => `pulumi config set --secret ${key} ${value} --stack prod`;

type Case = [description: string, change: Record<string, unknown>, key: string, message: RegExp, fix: string, stack?: string];

const CASES: Case[] = [
  // Release
  ["missing version", { version: undefined }, "version", /is required/, SET("version", "v1.0.0")],
  ["latest in prod", { version: "latest" }, "version", /"latest" is refused in prod/, SET("version", "v1.0.0")],
  ["latest override in prod", { backendVersion: "latest" }, "backendVersion", /"latest" is refused in prod/, SET("backendVersion", "v1.0.0")],
  ["malformed version", { version: "1.4" }, "version", /not a release version/, SET("version", "v1.0.0")],
  ["malformed nginx override", { nginxVersion: "v1.4.2 beta" }, "nginxVersion", /not a valid image tag/, SET("nginxVersion", "v1.0.0")],
  ["an environment that would turn off the prod rules", { environment: "dev" }, "environment", /stack "prod" always runs as prod/, SET("environment", "prod")],
  ["an unknown environment", { environment: "production" }, "environment", /"production" is not one of local, dev, staging, prod/, SET("environment", "prod")],
  ["a stack name that is no environment, without one", { ...VALID_DEV }, "environment", /is required: the stack name "qa" is not one of/, "pulumi config set environment dev --stack qa", "qa"],
  ["prod-* stacks are prod too", { ...VALID_PROD, environment: "staging" }, "environment", /stack "prod-eu" always runs as prod/, "pulumi config set environment prod --stack prod-eu", "prod-eu"],
  // Application
  ["an app name with capitals", { appName: "Shop" }, "appName", /"Shop" must be lower-case letters/, SET("appName", "laravel")],
  ["a missing app directory", { appDir: "no/such/app" }, "appDir", /"no\/such\/app" is not a directory/, SET("appDir", "path/to/laravel-app")],
  ["an app directory that is no Laravel app", { appDir: "stacks" }, "appDir", /not a Laravel application's root: it has no artisan file/, SET("appDir", "path/to/laravel-app")],
  ["a health path without its slash", { healthPath: "up" }, "healthPath", /"up" is not a URL path/, SET("healthPath", "/up")],
  ["an app URL without a scheme", { appUrl: "www.example.com" }, "appUrl", /"www.example.com" is not an http:\/\/ or https:\/\/ URL/, SET("appUrl", "http://localhost:8080")],
  ["an ftp app URL", { appUrl: "ftp://example.com" }, "appUrl", /is not an http:\/\/ or https:\/\/ URL/, SET("appUrl", "http://localhost:8080")],
  ["an APP_KEY in plain text", { appKey: "base64:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }, "appKey", /is a secret but is stored in plain text/, SET_SECRET("appKey", "'base64:<32 bytes>'")],
  ["an APP_KEY that is no AES-256 key", { "appKey!": "base64:c2hvcnQ=" }, "appKey", /is not "base64:" followed by 32 bytes/, SET_SECRET("appKey", "'base64:<32 bytes>'")],
  ["appEnv that is not a map", { appEnv: "MAIL_MAILER=log" }, "appEnv", /must be a map of environment variable names/, "pulumi config rm appEnv --stack prod, then pulumi config set --path appEnv.NAME value"],
  ["a bad name in appEnv", { appEnv: { "BAD-NAME": "x" } }, "appEnv", /"BAD-NAME" is not a valid environment variable name/, RM(`'appEnv["BAD-NAME"]'`)],
  ["APP_KEY in appEnv", { appEnv: { APP_KEY: "base64:plain" } }, "appEnv", /APP_KEY is set by the program from appKey and cannot be overridden/, `${RM("appEnv.APP_KEY")}, then set appKey`],
  ["DB_PASSWORD in appEnv", { appEnv: { DB_PASSWORD: "plain" } }, "appEnv", /DB_PASSWORD is set by the program from dbPassword/, `${RM("appEnv.DB_PASSWORD")}, then set dbPassword`],
  ["REDIS_PASSWORD in appEnv", { appEnv: { REDIS_PASSWORD: "plain" } }, "appEnv", /REDIS_PASSWORD is set by the program from redisPassword/, `${RM("appEnv.REDIS_PASSWORD")}, then set redisPassword`],
  ["QUEUE_CONNECTION in appEnv", { appEnv: { QUEUE_CONNECTION: "sync" } }, "appEnv", /QUEUE_CONNECTION is set by the program and cannot be overridden/, RM("appEnv.QUEUE_CONNECTION")],
  ["a credential in appEnv", { appEnv: { MAIL_PASSWORD: "plain" } }, "appEnv", /MAIL_PASSWORD looks like a credential/, `${RM("appEnv.MAIL_PASSWORD")} && pulumi config set --secret --path appSecretEnv.MAIL_PASSWORD '<value>' --stack prod`],
  ["a map as an appEnv value", { appEnv: { FEATURES: { a: 1 } } }, "appEnv", /the value of FEATURES must be text, not a map/, "pulumi config set --path appEnv.FEATURES '<value>' --stack prod"],
  ["appSecretEnv in plain text", { appSecretEnv: { MAIL_PASSWORD: "x" } }, "appSecretEnv", /is stored in plain text/, "pulumi config rm appSecretEnv --stack prod, then pulumi config set --secret --path appSecretEnv.NAME '<value>' --stack prod"],
  ["APP_KEY in appSecretEnv", { "appSecretEnv!": { APP_KEY: "x" } }, "appSecretEnv", /APP_KEY is set by the program from appKey/, `${RM("appSecretEnv.APP_KEY")}, then set appKey`],
  ["a bad name in appSecretEnv", { "appSecretEnv!": { "9LIVES": "x" } }, "appSecretEnv", /"9LIVES" is not a valid environment variable name/, RM(`'appSecretEnv["9LIVES"]'`)],
  ["a name in both env maps", { appEnv: { MAIL_HOST: "a" }, "appSecretEnv!": { MAIL_HOST: "b" } }, "appEnv", /MAIL_HOST is also set in appSecretEnv/, RM("appEnv.MAIL_HOST")],
  // Base images
  ["a bad image reference", { redisImage: "Redis:7.2" }, "redisImage", /not a valid image reference/, SET("redisImage", "redis:7.2")],
  ["an image reference with spaces", { nginxBaseImage: "nginx 1.27" }, "nginxBaseImage", /not a valid image reference/, SET("nginxBaseImage", "nginx:1.27")],
  // Registry
  ["an unknown registry kind", { registryKind: "dockerhub" }, "registryKind", /"dockerhub" is not one of local, acr, external/, SET("registryKind", "local")],
  ["a missing registry password", { "registryPassword!": undefined }, "registryPassword", /is required when registryKind is acr/, SET_SECRET("registryPassword", "'<password>'")],
  ["a registry password in plain text", { "registryPassword!": undefined, registryPassword: "registry-pw" }, "registryPassword", /is a secret but is stored in plain text/, SET_SECRET("registryPassword", "'<password>'")],
  ["a registry user name with spaces", { registryUsername: "deploy user" }, "registryUsername", /is not a user name without spaces/, SET("registryUsername", "deploy@example")],
  ["an ACR Enterprise instance without its server", { acrInstanceId: "cri-123" }, "registryServer", /is required when acrInstanceId is set/, SET("registryServer", "registry.example.com")],
  ["a malformed ACR instance id", { acrInstanceId: "prod-instance" }, "acrInstanceId", /is not an ACR instance id/, SET("acrInstanceId", "cri-0123456789abcdef")],
  ["a registry server given as a URL", { registryServer: "https://registry.example.com" }, "registryServer", /is not a registry host\[:port\]/, SET("registryServer", "registry.example.com")],
  ["a region id with a space", { acrRegion: "cn hangzhou" }, "acrRegion", /is not an Alibaba Cloud region id/, SET("acrRegion", "cn-hangzhou")],
  ["an image namespace with capitals", { imageNamespace: "MyTeam" }, "imageNamespace", /must be lower-case letters/, SET("imageNamespace", "app")],
  // Docker host
  ["a Docker host with an unknown scheme", { dockerHost: "http://10.0.0.5:2375" }, "dockerHost", /is not a Docker host URL \(unix:\/\/, tcp:\/\/ or ssh:\/\/\)/, SET("dockerHost", "ssh://deploy@10.0.0.5")],
  ["a Docker host without a scheme", { dockerHost: "deploy@10.0.0.5" }, "dockerHost", /is not a Docker host URL/, SET("dockerHost", "ssh://deploy@10.0.0.5")],
  ["a tcp Docker host without a port", { dockerHost: "tcp://10.0.0.5" }, "dockerHost", /must give a port/, SET("dockerHost", "ssh://deploy@10.0.0.5")],
  // Services and limits
  ["zero php-fpm replicas", { fpmReplicas: "0" }, "fpmReplicas", /0 is out of range: must be between 1 and 50/, SET("fpmReplicas", "2")],
  ["too many nginx replicas", { nginxReplicas: "51" }, "nginxReplicas", /51 is out of range: must be between 1 and 50/, SET("nginxReplicas", "2")],
  ["replicas that are not a number", { workerReplicas: "two" }, "workerReplicas", /"two" is not a whole number/, SET("workerReplicas", "1")],
  ["a queue list with spaces", { workerQueue: "high, low" }, "workerQueue", /is not queue names, comma-separated/, SET("workerQueue", "default")],
  ["a memory limit below the floor", { appMemoryMb: "32" }, "appMemoryMb", /must be between 64 and 65536/, SET("appMemoryMb", "512")],
  ["negative CPUs", { cpus: "-1" }, "cpus", /is not a decimal number of CPUs/, SET("cpus", "1.0")],
  ["zero CPUs", { cpus: "0" }, "cpus", /"0" must be more than 0/, SET("cpus", "1.0")],
  ["a log size in the wrong unit", { logMaxSize: "10MB" }, "logMaxSize", /is not a size with a unit/, SET("logMaxSize", "10m")],
  // Edge
  ["an edge port out of range", { edgeHttpPort: "70000" }, "edgeHttpPort", /between 1 and 65535/, SET("edgeHttpPort", "8080")],
  ["a bind address that is a host name", { edgeBindAddress: "localhost" }, "edgeBindAddress", /"localhost" is not an IP address/, SET("edgeBindAddress", "127.0.0.1")],
  ["a bind address with a port", { edgeBindAddress: "0.0.0.0:80" }, "edgeBindAddress", /is not an IP address/, SET("edgeBindAddress", "127.0.0.1")],
  ["host aliases separated by spaces", { appHostAliases: "a.example b.example" }, "appHostAliases", /is not a comma-separated list of host names or IP addresses/, SET("appHostAliases", "example.com,www.example.com")],
  ["a host alias with a port", { appHostAliases: "a.example:8080" }, "appHostAliases", /is not a comma-separated list of host names/, SET("appHostAliases", "example.com,www.example.com")],
  ["a host alias that is appUrl's host", { appHostAliases: "a.example,LOCALHOST" }, "appHostAliases", /names appUrl's host "localhost", which is always served/, SET("appHostAliases", "example.com,www.example.com")],
  ["a host alias named twice", { appHostAliases: "a.example,A.example" }, "appHostAliases", /names a host twice/, SET("appHostAliases", "example.com,www.example.com")],
  ["a zero body size", { maxBodySizeMb: "0" }, "maxBodySizeMb", /between 1 and 4096/, SET("maxBodySizeMb", "20")],
  // Redis
  ["an even number of sentinels", { sentinels: "4" }, "sentinels", /cannot always find a majority: use an odd number/, SET("sentinels", "5")],
  ["a single sentinel", { sentinels: "1", sentinelQuorum: "1" }, "sentinels", /out of range: must be between 3 and 15/, SET("sentinels", "3")],
  ["a quorum above the sentinels", { sentinelQuorum: "4" }, "sentinelQuorum", /more than the 3 sentinels: must be 1..3/, SET("sentinelQuorum", "2")],
  ["a zero quorum", { sentinelQuorum: "0" }, "sentinelQuorum", /out of range: must be between 1 and 15/, SET("sentinelQuorum", "2")],
  ["a sentinel down-after shorter than a hiccup", { sentinelDownAfterMs: "100" }, "sentinelDownAfterMs", /must be between 500 and 600000/, SET("sentinelDownAfterMs", "5000")],
  ["a sentinel service name with a space", { redisServiceName: "app redis" }, "redisServiceName", /must be letters, digits/, SET("redisServiceName", "app-redis")],
  ["a Redis password in plain text", { redisPassword: "redis-password" }, "redisPassword", /stored in plain text/, SET_SECRET("redisPassword", "'<password>'")],
  ["a short Redis password", { "redisPassword!": "short" }, "redisPassword", /must be at least 8 characters/, SET_SECRET("redisPassword", "'<password>'")],
  // Database
  ["a missing database password", { "dbPassword!": undefined }, "dbPassword", /is required for an external database/, SET_SECRET("dbPassword", "'<password>'")],
  ["a database password in plain text", { "dbPassword!": undefined, dbPassword: "database-pw" }, "dbPassword", /is a secret but is stored in plain text/, SET_SECRET("dbPassword", "'<password>'")],
  ["a missing database host", { dbHost: undefined }, "dbHost", /is required when dbKind is external/, SET("dbHost", "pgm-xxxx.pg.rds.aliyuncs.com")],
  ["a database host with a space", { dbHost: "db host" }, "dbHost", /is not a host name or IP address/, SET("dbHost", "pgm-xxxx.pg.rds.aliyuncs.com")],
  ["a database container in prod", { dbKind: "container" }, "dbKind", /not allowed in prod/, SET("dbKind", "external")],
  ["a database host beside a database container", { ...VALID_DEV, dbHost: "db.example.com" }, "dbHost", /has no effect with dbKind=container/, "pulumi config rm dbHost --stack dev", "dev"],
  ["a database name with a dash", { dbName: "my-app" }, "dbName", /is not an SQL identifier/, SET("dbName", "laravel")],
  ["an unsupported database connection", { dbConnection: "sqlite" }, "dbConnection", /"sqlite" is not one of pgsql, mysql/, SET("dbConnection", "pgsql")],
  ["a database network name with a slash", { dbNetwork: "db/net" }, "dbNetwork", /is not a Docker object name/, SET("dbNetwork", "db-net")],
  ["a MySQL port given as a name", { dbConnection: "mysql", dbPort: "mysql" }, "dbPort", /"mysql" is not a whole number/, SET("dbPort", "5432")],
  // HTTPS at the edge
  ["an https app without a certificate", { appUrl: "https://www.example.com" }, "tlsCertificate", /is required: appUrl "https:\/\/www.example.com\/" is https:\/\/ and the edge terminates TLS/, `${SET_CERT} (or, when a load balancer in front terminates TLS: ${SET("tlsTermination", "loadBalancer")})`],
  ["a certificate without its key", { ...HTTPS, "tlsKey!": undefined }, "tlsKey", /is required with tlsCertificate/, `pulumi config set --secret tlsKey -- "$(cat privkey.pem)" --stack prod`],
  ["a TLS key in plain text", { ...HTTPS, "tlsKey!": undefined, tlsKey: WWW.key }, "tlsKey", /is a secret but is stored in plain text/, SET_SECRET("tlsKey", `'"$(cat privkey.pem)"'`)],
  ["a certificate that is not PEM", { ...HTTPS, tlsCertificate: "MIIB...not pem" }, "tlsCertificate", /is not a PEM certificate chain/, SET("tlsCertificate", `'"$(cat fullchain.pem)"'`)],
  ["a private key in the certificate's place", { ...HTTPS, tlsCertificate: WWW.key }, "tlsCertificate", /is not a PEM certificate chain/, SET("tlsCertificate", `'"$(cat fullchain.pem)"'`)],
  ["a key that is not PEM", { ...HTTPS, "tlsKey!": "secret-but-no-key" }, "tlsKey", /is not one unencrypted PEM private key/, SET_SECRET("tlsKey", `'"$(cat privkey.pem)"'`)],
  ["the key of another certificate", { ...HTTPS, "tlsKey!": OTHER.key }, "tlsKey", /is not the private key of tlsCertificate/, `pulumi config set --secret tlsKey -- "$(cat privkey.pem)" --stack prod with the certificate's key`],
  ["a certificate for another host", { ...HTTPS, tlsCertificate: OTHER.certificate, "tlsKey!": OTHER.key }, "tlsCertificate", /does not cover appUrl's host "www.example.com" \(it is for DNS:other.example.com\)/, `${SET_CERT} with a certificate for www.example.com`],
  ["a certificate that does not cover a host alias", { ...HTTPS, appHostAliases: "example.com,www.example.com" }, "tlsCertificate", /does not cover appHostAliases "example.com" \(it is for DNS:www.example.com\)/, `${SET_CERT} with a certificate for example.com`],
  ["a certificate with an http app URL", { ...HTTPS, appUrl: "http://www.example.com" }, "appUrl", /is "http:\/\/www.example.com\/", but tlsCertificate is set/, SET("appUrl", "https://www.example.com")],
  ["a load balancer in front of an http app URL", { tlsTermination: "loadBalancer" }, "tlsTermination", /is loadBalancer, but appUrl "http:\/\/localhost:8080\/" is http:\/\//, SET("tlsTermination", "edge")],
  ["a certificate beside a load balancer", { ...HTTPS, tlsTermination: "loadBalancer" }, "tlsCertificate", /has no effect with tlsTermination=loadBalancer/, "pulumi config rm tlsCertificate --stack prod; pulumi config rm tlsKey --stack prod"],
  ["an unknown TLS termination", { tlsTermination: "cdn" }, "tlsTermination", /"cdn" is not one of edge, loadBalancer/, SET("tlsTermination", "edge")],
  ["an HTTPS port out of range", { edgeHttpsPort: "0" }, "edgeHttpsPort", /between 1 and 65535/, SET("edgeHttpsPort", "8443")],
  // A team's own backend Dockerfile
  ["a backend Dockerfile that does not exist", { backendDockerfile: "docker/nope.Dockerfile" }, "backendDockerfile", /"docker\/nope.Dockerfile" is not a file/, SET("backendDockerfile", "path/to/Dockerfile")],
  ["an own Dockerfile whose context would hold .env", { backendDockerfile: "tests/unit/fixtures/own.Dockerfile" }, "backendDockerfile", /would include \.env: examples\/laravel-app\/\.dockerignore must exclude it/, "echo '.env' >> examples/laravel-app/.dockerignore"],
  // The swarm target
  ["a swarm without its Redis nodes", { engine: "swarm", swarmEdgeNodes: "a" }, "swarmRedisNodes", /is required when engine is swarm/, SET("swarmRedisNodes", "ecs-a,ecs-b,ecs-c")],
  ["a swarm without edge nodes", { ...SWARM, swarmEdgeNodes: undefined }, "swarmEdgeNodes", /is required when engine is swarm/, SET("swarmEdgeNodes", "ecs-a,ecs-b")],
  ["fewer Redis nodes than the set has", { ...SWARM, swarmRedisNodes: "a,b" }, "swarmRedisNodes", /names 2 node\(s\) for 3 Redis nodes \(the master and redisReplicas=2\): give exactly 3/, SET("swarmRedisNodes", "ecs-a,ecs-b,ecs-c")],
  ["two Redis nodes on one swarm node", { ...SWARM, swarmRedisNodes: "a,b,a" }, "swarmRedisNodes", /names a node twice/, SET("swarmRedisNodes", "ecs-a,ecs-b,ecs-c")],
  ["an edge node named twice", { ...SWARM, swarmEdgeNodes: "a,a" }, "swarmEdgeNodes", /names a node twice/, SET("swarmEdgeNodes", "ecs-a,ecs-b")],
  ["a node list with a space", { ...SWARM, swarmEdgeNodes: "a, b" }, "swarmEdgeNodes", /is not a comma-separated list of node names/, SET("swarmEdgeNodes", "ecs-a,ecs-b")],
  ["an unknown engine", { engine: "kubernetes" }, "engine", /"kubernetes" is not one of docker, swarm/, SET("engine", "docker")],
  ["a swarm setting on one Docker host", { swarmMonitorSeconds: "5" }, "swarmMonitorSeconds", /has no effect with engine=docker/, "pulumi config rm swarmMonitorSeconds --stack prod (or pulumi config set engine swarm --stack prod)"],
  ["a bind address on a swarm", { ...SWARM, edgeBindAddress: "127.0.0.1" }, "edgeBindAddress", /has no effect with engine=swarm/, "pulumi config rm edgeBindAddress --stack prod"],
  ["a database network on a swarm", { ...SWARM, dbNetwork: "db-net" }, "dbNetwork", /is not supported with engine=swarm/, "pulumi config rm dbNetwork --stack prod"],
  ["an unknown overlay encryption", { ...SWARM, swarmEncryptOverlay: "yes" }, "swarmEncryptOverlay", /"yes" is not one of on, off/, SET("swarmEncryptOverlay", "on")],
  ["a monitor window of zero", { ...SWARM, swarmMonitorSeconds: "0" }, "swarmMonitorSeconds", /between 1 and 600/, SET("swarmMonitorSeconds", "10")],
  // Keys the program does not know, or secrets that are not
  ["a typo in a key name", { fpmReplica: "3" }, "fpmReplica", /is not a configuration key of this program: did you mean fpmReplicas\?/, "pulumi config rm fpmReplica --stack prod, then set fpmReplicas"],
  ["a key in the wrong case", { DbHost: "x" }, "DbHost", /did you mean dbHost\?/, "pulumi config rm DbHost --stack prod, then set dbHost"],
  ["a key unlike any other", { colour: "blue" }, "colour", /^is not a configuration key of this program$/, "pulumi config rm colour --stack prod"],
  ["plain configuration stored as a secret", { dbHost: undefined, "dbHost!": "pgm-1.pg.rds.aliyuncs.com" }, "dbHost", /is stored as a secret but is plain configuration/, "pulumi config set dbHost <value> --stack prod (without --secret)"],
];

test.each(CASES)("%s is refused, naming the key and the fix", (_, change, key, message, fix, stack = "prod") => {
  const base = stack === "prod" || stack.startsWith("prod-") ? VALID_PROD : VALID_DEV;
  const problems = problemsOf({ ...base, ...change }, stack);
  const problem = problems.find((p) => p.key === key && message.test(p.message));
  expect(problem ?? problems).toEqual({ key, message: expect.stringMatching(message), fix });
});

test("no message repeats a secret value", () => {
  const values = { ...VALID_PROD, "registryPassword!": undefined, registryPassword: "leaky-registry-pw", "redisPassword!": "shortpw", appKey: "base64:bGVha3kta2V5", "appSecretEnv!": { "BAD NAME": "leaky-secret-value" } };
  const message = errorOf(values, "prod")!.message;
  for (const secret of ["leaky-registry-pw", "shortpw", "bGVha3kta2V5", "leaky-secret-value"]) expect(message).not.toContain(secret);
});

test("every problem is reported at once, in one error that names keys and fixes", () => {
  const error = errorOf({ ...VALID_PROD, version: "latest", sentinels: "2", fpmReplicas: "0", registryKind: "s3", fpmReplica: "1" }, "prod");
  expect(error).toBeInstanceOf(ConfigError);
  expect(error!.message).toMatch(/^Invalid configuration for stack "prod" \(5 problems\):/);
  for (const key of ["version", "sentinels", "fpmReplicas", "registryKind", "fpmReplica"]) expect(error!.message).toContain(`php-backend:${key}:`);
  expect(error!.message).toContain("fix: pulumi config set sentinels 3 --stack prod");
});

test("a bad value that several rules read is reported once", () => {
  const keys = problemsOf({ ...VALID_DEV, appUrl: "www.example.com", healthPath: "up" }, "dev").map((p) => p.key);
  expect(keys).toEqual(["appUrl", "healthPath"]);
});

test("a valid swarm configuration reads into swarm settings; the docker target has none", () => {
  expect(problemsOf({ ...VALID_PROD, ...SWARM })).toEqual([]);
  expect(parseSettings(source({ ...VALID_PROD, ...SWARM }), "prod").swarm).toEqual({
    redisNodes: ["a", "b", "c"], edgeNodes: ["a"], updateParallelism: 1, updateDelaySeconds: 2, monitorSeconds: 10, convergeTimeoutSeconds: 300, encryptOverlay: true,
  });
  expect(parseSettings(source(VALID_PROD), "prod").swarm).toBeUndefined();
});

test("a bad redisReplicas on a swarm is reported once", () => {
  expect(problemsOf({ ...VALID_PROD, ...SWARM, redisReplicas: "x" }).map((p) => p.key)).toEqual(["redisReplicas"]);
});

test("the edge serves appUrl's host and the aliases as nginx sees them, one body size for the chain", () => {
  const edge = parseSettings(source({ ...VALID_PROD, appHostAliases: "WWW.Example.com,10.0.0.5,::1" }), "prod").edge;
  expect(edge.publicOrigin).toBe("http://localhost:8080");
  expect(edge.hostAliases).toEqual(["www.example.com", "10.0.0.5", "[::1]"]);
  expect(edge.maxBodySizeMb).toBe(20);
  expect(parseSettings(source({ ...VALID_PROD, maxBodySizeMb: "100" }), "prod").edge.maxBodySizeMb).toBe(100);
  expect(parseSettings(source(VALID_PROD), "prod").edge.hostAliases).toEqual([]);
});

test("latest is accepted outside prod", () => {
  expect(problemsOf({ ...VALID_DEV, version: "latest" }, "dev")).toEqual([]);
});

test("appEnv accepts numbers and booleans as text", () => {
  const s = parseSettings(source({ ...VALID_DEV, appEnv: { MAIL_PORT: 2525, FEATURE_X: true } }), "dev");
  expect(s.app.env).toEqual({ MAIL_PORT: "2525", FEATURE_X: "true" });
});

test("secrets stay Outputs marked secret", async () => {
  const s = parseSettings(source({ ...VALID_PROD, "redisPassword!": "r3dis-secret", "appSecretEnv!": { MAIL_PASSWORD: "m" } }), "prod");
  expect(pulumi.Output.isInstance(s.redis.password)).toBe(true);
  expect(await pulumi.isSecret(s.redis.password!)).toBe(true);
  expect(await pulumi.isSecret(s.app.secretEnv!)).toBe(true);
  expect(s.app.key).toBeUndefined();
});
