import { contextFromConfig, SECRET_KEYS } from "../../../policy/context";
import { noGeneratedSecret, noSecretConfig } from "../../../policy/rules/secrets";
import { KeyName, KEYS, keySpec } from "../../../stacks/schema";
import { secret } from "../../../harness/secrets";
import { T } from "../support/resources";
import { ResourceSpec, validateResource, validateStack } from "./support/analyzer";
import { container, image } from "./support/fixtures";
import { asAnalyzerProps } from "./support/stackRun";

const DB_PASSWORD = "prod-db-pw-2d6f";
const ctx = contextFromConfig("prod", {
  "php-backend:dbPassword": DB_PASSWORD,
  "php-backend:appSecretEnv": JSON.stringify({ MAIL_PASSWORD: "mail-pw-55aa" }),
  "php-backend:dbUser": "laravel",
});
const messages = async (r: ResourceSpec) => (await validateResource(noSecretConfig(ctx), r)).map((v) => v.message);

describe("the pack's view of secret config", () => {
  test("knows the program's secret keys", () => {
    const fromSchema = (Object.keys(KEYS) as KeyName[]).filter((key) => keySpec(key).secret === true);
    expect([...SECRET_KEYS].sort()).toEqual(fromSchema.sort());
  });

  test("takes the values of secret keys only, appSecretEnv by entry", () => {
    expect(ctx.secretValues).toEqual(["mail-pw-55aa", DB_PASSWORD]);
  });

  test("gets plaintext from the SDK whatever the engine marked secret", () => {
    // The engine sends secrets with their signature; the SDK unwraps them before any policy runs.
    expect(asAnalyzerProps({ labels: [{ label: "a", value: secret(DB_PASSWORD) }] })).toEqual({ labels: [{ label: "a", value: DB_PASSWORD }] });
  });
});

describe("no-secret-config-in-plain-fields (mandatory)", () => {
  test("passes the program's labels, names and build args", async () => {
    expect(await messages(container("fpm-0", "php-fpm", { envs: [`DB_PASSWORD=${DB_PASSWORD}`] }))).toEqual([]);
    expect(await messages(image("backend-image", "registry.example.com/app/laravel-backend:v1.0.0-0123456789ab", { BASE_IMAGE: "debian:bookworm-slim" }))).toEqual([]);
  });

  test("finds a secret in a label, a container name and a build arg, without repeating it", async () => {
    const labelled = container("fpm-0", "php-fpm", { labels: [{ label: "php-backend.role", value: "php-fpm" }, { label: "db", value: `pw=${DB_PASSWORD}` }] });
    expect(await messages(labelled)).toEqual(['Container "fpm-0": label db holds the value of a secret config key']);
    expect(await messages(container("fpm-0", "php-fpm", { name: `fpm-${DB_PASSWORD}` }))).toEqual(['Container "fpm-0": name holds the value of a secret config key']);
    const built = await messages(image("backend-image", "r/app:v1", { MAIL_PASSWORD: "mail-pw-55aa" }));
    expect(built).toEqual(['Image "backend-image": build arg MAIL_PASSWORD holds the value of a secret config key']);
  });
});

test("checks the fields that are known during a preview and skips the unknown ones", async () => {
  const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the engine's unknown string
  const labels = [{ label: "php-backend.migration", value: UNKNOWN }, { label: "db", value: DB_PASSWORD }];
  expect(await validateResource(noSecretConfig(ctx), container("fpm-0", "php-fpm", { labels, name: UNKNOWN }))).toEqual([
    { policy: "no-secret-config-in-plain-fields", level: "mandatory", message: 'Container "fpm-0": label db holds the value of a secret config key', urn: undefined },
  ]);
});

describe("no-generated-secret-in-plain-fields (mandatory)", () => {
  const password = { type: T.randomPassword, name: "redis-password", props: { length: 32, result: "generated-Zq81xY0pLw" } };

  test("passes when no generated value is in a plain field", async () => {
    expect(await validateStack(noGeneratedSecret, [password, container("redis-0", "redis", { envs: ["REDISCLI_AUTH=generated-Zq81xY0pLw"] })])).toEqual([]);
  });

  test("finds a generated value in a label, with the resource's URN", async () => {
    const leaky = container("redis-0", "redis", { labels: [{ label: "auth", value: "generated-Zq81xY0pLw" }] });
    const found = await validateStack(noGeneratedSecret, [password, leaky], "local");
    expect(found.map((v) => [v.level, v.message, v.urn])).toEqual([
      ["mandatory", 'Container "redis-0": label auth holds a generated secret', "urn:pulumi:local::php-backend::docker:index/container:Container::redis-0"],
    ]);
  });
});
