import { secret } from "../../../harness/secrets";
import { T } from "../support/resources";
import { container, DIGEST } from "./support/fixtures";
import { analyzeRequest, analyzeStackRequest, pb, PackProcess, startPack } from "./support/packProcess";

/** The real pack process (policy/index.ts under ts-node, @pulumi/policy's gRPC server), driven like the engine drives it. */
const DB_PASSWORD = "prod-db-pw-2d6f";
/** The engine's marker for a value unknown during a preview (rpc.unknownValue). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const LEVEL = Object.fromEntries(Object.entries(pb.EnforcementLevel as Record<string, number>).map(([k, v]) => [v, k.toLowerCase()]));

let pack: PackProcess;
beforeAll(async () => {
  pack = await startPack("prod", { "php-backend:dbPassword": DB_PASSWORD, "php-backend:dbUser": "laravel" });
}, 60_000);
afterAll(() => pack?.stop());

/** Diagnostics, each message without the policy's description that the SDK puts before it. */
const diagnostics = (res: any) =>
  (res.diagnosticsList as any[]).map((d) => ({
    policy: d.policyname,
    level: LEVEL[d.enforcementlevel],
    message: d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message,
  }));

test("serves the php-backend pack with every policy at its enforcement level", async () => {
  const info = await pack.call("getAnalyzerInfo");
  expect(info.name).toBe("php-backend");
  expect(Object.fromEntries(info.policiesList.map((p: any) => [p.name, LEVEL[p.enforcementlevel]]))).toEqual({
    "image-pinned-by-digest": "mandatory",
    "host-ports-edge-only": "mandatory",
    "long-running-limits": "mandatory",
    "no-secret-config-in-plain-fields": "mandatory",
    "no-generated-secret-in-plain-fields": "mandatory",
    "swarm-service-runtime": "mandatory",
    "prod-no-latest-tag": "mandatory",
    "prod-edge-tls": "mandatory",
    "prod-no-database-container": "mandatory",
    "prod-serving-replicas": "advisory",
    "sentinel-quorum-majority": "advisory",
  });
});

test("learns the stack and its secret config from the environment, and sees secrets unwrapped", async () => {
  // A secret-marked label, as the engine sends it, beside one unknown in a preview; the image by
  // tag, refused because the stack is prod.
  const props = container("fpm-0", "php-fpm", {
    image: "redis:7.2",
    labels: [
      { label: "php-backend.role", value: "php-fpm" },
      { label: "php-backend.migration", value: UNKNOWN },
      { label: "db", value: secret(DB_PASSWORD) },
    ],
  }).props;
  const found = diagnostics(await pack.call("analyze", analyzeRequest(T.container, "fpm-0", props, "prod")));
  expect(found).toEqual([
    { policy: "image-pinned-by-digest", level: "mandatory", message: expect.stringContaining('runs image "redis:7.2"') },
    { policy: "no-secret-config-in-plain-fields", level: "mandatory", message: 'Container "fpm-0": label db holds the value of a secret config key' },
  ]);
});

test("reports a policy that meets an unknown value during a preview as not run (advisory)", async () => {
  const props = container("fpm-0", "php-fpm", { image: UNKNOWN }).props;
  const found = diagnostics(await pack.call("analyze", analyzeRequest(T.container, "fpm-0", props, "prod")));
  expect(found).toEqual(["image-pinned-by-digest", "prod-no-latest-tag"].map((policy) => ({
    policy,
    level: "advisory",
    message: `can't run policy '${policy}' from policy pack 'php-backend@v0.1.0' during preview: string value at .image can't be known during preview`,
  })));
});

test("runs the stack policies over the stack's resources", async () => {
  const sentinel = (i: number) => container(`redis-sentinel-${i}`, "redis-sentinel", {
    image: DIGEST, uploads: [{ file: "/data/sentinel.conf", content: "sentinel monitor app-redis redis-0 6379 2\n" }],
  });
  const resources = [0, 1, 2, 3, 4].map(sentinel).map((r) => ({ type: r.type, name: r.name, props: r.props }));
  const found = diagnostics(await pack.call("analyzeStack", analyzeStackRequest(resources, "prod")));
  expect(found.filter((d) => d.policy === "sentinel-quorum-majority")).toHaveLength(5);
  expect(found.filter((d) => d.policy === "prod-serving-replicas").map((d) => d.message)).toEqual([
    "0 php-fpm container(s) in prod: run at least 2 (fpmReplicas / nginxReplicas)",
    "0 app-nginx container(s) in prod: run at least 2 (fpmReplicas / nginxReplicas)",
  ]);
  expect(found.every((d) => d.level === "advisory")).toBe(true);
});
