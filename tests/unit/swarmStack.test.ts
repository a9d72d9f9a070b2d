/**
 * The swarm target: the `local-swarm` stack file through the real program. Every long-running
 * role is a swarm service with the engine's own rollout; secrets reach tasks only as files.
 */
import { isSecretWrapper, plainStrings, RecordedResource } from "./support/recordingMocks";
import { ProgramRun, runStack } from "./support/runProgram";
import { label, role, T } from "./support/resources";

const STACK = "local-swarm";
const PREFIX = "php-backend-local-swarm";

let run: ProgramRun;
beforeAll(async () => {
  run = await runStack(STACK);
}, 60_000);

const services = () => run.ofType(T.service);
const service = (r: string) => {
  const found = services().filter((s) => role(s) === r);
  expect(found).toHaveLength(1);
  return found[0];
};
const spec = (s: RecordedResource) => s.inputs.taskSpec.containerSpec;
const replicas = (s: RecordedResource) => s.inputs.mode.replicated.replicas;
const constraints = (s: RecordedResource): string[] => s.inputs.taskSpec.placement?.constraints ?? [];

test("runs each role as one service with the stack's replicas; only the registry and the migration are containers", () => {
  expect(replicas(service("php-fpm"))).toBe(3);
  expect(replicas(service("app-nginx"))).toBe(2);
  expect(replicas(service("worker"))).toBe(1);
  expect(replicas(service("scheduler"))).toBe(1);
  expect(replicas(service("redis-router"))).toBe(2);
  expect(services().filter((s) => role(s) === "redis").map(replicas)).toEqual([1, 1, 1]);
  expect(services().filter((s) => role(s) === "redis-sentinel").map(replicas)).toEqual([1, 1, 1]);
  expect(services().filter((s) => role(s) === "edge")).toHaveLength(2);
  expect(run.ofType(T.container).map(role).sort()).toEqual(["migrate", "registry"]);
});

test("every service: dnsrr endpoints, health check, limits and reservations, restart, logs, the overlay, convergence", () => {
  const [network] = run.ofType(T.network);
  expect(network.inputs).toMatchObject({ name: PREFIX, driver: "overlay", attachable: true });
  expect(network.inputs.options).toBeUndefined(); // swarmEncryptOverlay: off on this stack
  for (const s of services()) {
    expect(s.inputs.name).toMatch(new RegExp(`^${PREFIX}-`));
    expect(s.inputs.endpointSpec.mode).toBe("dnsrr");
    expect(spec(s).healthcheck.tests[0]).toBe("CMD-SHELL");
    const { limits, reservation } = s.inputs.taskSpec.resources;
    expect(limits.nanoCpus).toBe(1e9);
    expect(reservation.memoryBytes).toBeLessThan(limits.memoryBytes);
    expect(s.inputs.taskSpec.restartPolicy.condition).toBe("any");
    expect(s.inputs.taskSpec.logDriver).toEqual({ name: "json-file", options: { "max-size": "10m", "max-file": "3" } });
    expect(s.inputs.taskSpec.networksAdvanceds).toEqual([expect.objectContaining({ id: `${network.name}-id` })]);
    expect(s.inputs.taskSpec.placement.platforms).toEqual([{ os: "linux", architecture: "amd64" }]);
    expect(spec(s).labels.map((l: { label: string }) => l.label).sort()).toEqual(["php-backend.role", "php-backend.stack"]);
    expect(s.inputs.convergeConfig.timeout).toBe("5m");
  }
});

test("an encrypted overlay sets its option once: the daemon's own options read back would replace it", async () => {
  const encrypted = await runStack(STACK, { "php-backend:swarmEncryptOverlay": "on" });
  const [network] = encrypted.ofType(T.network);
  expect(network.inputs.options).toEqual({ encrypted: "" });
  expect(encrypted.registrations.get(T.network, network.name)!.ignoreChanges).toEqual(["options"]);
});

test("durations are written as the provider reads them back", () => {
  expect(spec(service("worker")).stopGracePeriod).toBe("1m");
  expect(spec(service("php-fpm")).stopGracePeriod).toBe("30s");
});

test("a release is rolled out by the engine: start-first, health-gated, rolled back on failure; the scheduler stop-first", () => {
  for (const r of ["php-fpm", "app-nginx", "worker", "redis-router"]) {
    const s = service(r);
    expect(s.inputs.updateConfig).toEqual({ parallelism: 1, delay: "2s", monitor: "10s", maxFailureRatio: "0", order: "start-first", failureAction: "rollback" });
    expect(s.inputs.rollbackConfig).toMatchObject({ order: "start-first", failureAction: "pause" });
  }
  expect(service("scheduler").inputs.updateConfig.order).toBe("stop-first");
  expect(service("php-fpm").inputs.taskSpec.placement.prefs).toEqual(["node.labels.php-backend.node"]);
});

test("release services run the pushed digests, after the migration; names and aliases do not change with the version", async () => {
  const backend = run.outputs.backendImage.value as string;
  for (const r of ["php-fpm", "worker", "scheduler"]) expect(spec(service(r)).image).toBe(backend);
  expect(spec(service("app-nginx")).image).toBe(run.outputs.nginxImage.value);
  const migrate = run.ofType(T.container).find((c) => role(c) === "migrate")!;
  expect(migrate.inputs.image).toBe(backend);
  expect(label(service("php-fpm"), "php-backend.migration")).toBe("v1.0.0");
  for (const r of ["php-fpm", "worker", "scheduler"]) {
    expect(run.registrations.get(T.service, service(r).name)!.dependencies).toContain(`${T.container}::${migrate.name}`);
  }

  const next = await runStack(STACK, { "php-backend:version": "v1.1.0" });
  const before = services().map((s) => [s.name, s.inputs.name, s.inputs.taskSpec.networksAdvanceds]);
  const after = next.ofType(T.service).map((s) => [s.name, s.inputs.name, s.inputs.taskSpec.networksAdvanceds]);
  expect(after).toEqual(before);
  expect(next.ofType(T.service).find((s) => role(s) === "php-fpm")!.inputs.taskSpec.containerSpec.image).not.toBe(backend);
});

test("app nginx sends PHP to the one php-fpm alias every release shares", () => {
  expect(service("php-fpm").inputs.taskSpec.networksAdvanceds[0].aliases).toEqual(["php-fpm"]);
  const site = run.ofType(T.serviceConfig).find((c) => c.name.includes("app-nginx"))!;
  expect(Buffer.from(site.inputs.data, "base64").toString()).toContain("set $fpm_upstream php-fpm:9000;");
});

test("Redis node i and sentinel i are pinned to the i-th Redis node, each node with its own volume; the routers spread", () => {
  const nodes = services().filter((s) => role(s) === "redis");
  const pinnedTo = [1, 2, 0].map((i) => [`node.labels.php-backend.node==lswarm${i}`]);
  expect(nodes.map(constraints)).toEqual(pinnedTo);
  expect(nodes.map((n) => spec(n).mounts[0].source)).toEqual([0, 1, 2].map((i) => `${PREFIX}-redis-${i}-data`));
  expect(services().filter((s) => role(s) === "redis-sentinel").map(constraints)).toEqual(pinnedTo);
  expect(service("redis-router").inputs.taskSpec.placement.prefs).toEqual(["node.labels.php-backend.node"]);
});

test("an edge on each edge node publishes in host mode; the database runs on the manager", () => {
  const edges = services().filter((s) => role(s) === "edge");
  expect(edges.map(constraints)).toEqual([["node.labels.php-backend.node==lswarm1"], ["node.labels.php-backend.node==lswarm2"]]);
  for (const e of edges) {
    expect(e.inputs.endpointSpec.ports).toEqual([{ targetPort: 80, publishedPort: 8080, publishMode: "host", protocol: "tcp" }]);
    expect(e.inputs.updateConfig.order).toBe("stop-first");
  }
  expect(constraints(service("database"))).toEqual(["node.role==manager"]);
  expect(run.outputs.url.value).toBe("http://172.16.213.2:8080/");
});

describe("secrets", () => {
  const secrets = () => run.ofType(T.secret);
  const values = () => secrets().map((s) => Buffer.from(s.inputs.data, "base64").toString());
  const appSecretNames = ["APP_KEY", "DB_PASSWORD", "REDIS_PASSWORD"];

  test("the app's secrets are Docker secrets, as files, never variables", () => {
    const fpm = spec(service("php-fpm"));
    for (const name of appSecretNames) {
      expect(Object.keys(fpm.env)).not.toContain(name);
      expect(fpm.secrets).toContainEqual(expect.objectContaining({ fileName: `/run/secrets/${name}`, fileMode: 0o400 }));
    }
    expect(fpm.env.REDIS_HOST).toBe("redis");
  });

  test("no secret value is in any service's or container's plain inputs, and each secret's data is sent as a secret", () => {
    const found = values().filter((v) => v.length >= 12 && !v.includes("\n"));
    expect(found.length).toBeGreaterThanOrEqual(3);
    const leaks = [...services(), ...run.ofType(T.container), ...run.ofType(T.serviceConfig)].flatMap((r) =>
      plainStrings(r.raw).filter(({ text }) => found.some((v) => text.includes(v))).map(({ path }) => `${r.name}: ${path}`));
    expect(leaks).toEqual([]);
    for (const s of secrets()) expect(isSecretWrapper(s.raw.data)).toBe(true);
  });

  test("the migration container gets the same secrets as files, not in its environment", () => {
    const migrate = run.ofType(T.container).find((c) => role(c) === "migrate")!;
    expect(migrate.inputs.envs.some((e: string) => /^(APP_KEY|DB_PASSWORD|REDIS_PASSWORD)=/.test(e))).toBe(false);
    const files = migrate.inputs.uploads.map((u: { file: string }) => u.file);
    for (const name of appSecretNames) expect(files).toContain(`/run/secrets/${name}`);
  });

  test("a secret's name follows its value, keyed: a new password is a new secret, created before the old one goes", async () => {
    const redisSecret = (r: ProgramRun) => r.ofType(T.secret).find((s) => s.name.endsWith("secret-redis-password"))!;
    const first = redisSecret(run);
    expect(first.inputs.name).toMatch(new RegExp(`^${PREFIX}-redis-password-[0-9a-f]{12}$`));
    const rotated = await runStack(STACK, {}, { redisPassword: "a-new-redis-password" });
    expect(redisSecret(rotated).inputs.name).not.toBe(first.inputs.name);
    expect(run.registrations.get(T.secret, first.name)!.deleteBeforeReplace).toBe(false);
  });
});

test("with a health path, each php-fpm replica is gated by the app itself; nginx checks only itself; the other roles follow php-fpm", () => {
  const fpm = spec(service("php-fpm")).healthcheck.tests[1];
  expect(fpm).toContain("REQUEST_URI=/up");
  expect(fpm).toContain("SCRIPT_FILENAME=/var/www/app/public/index.php");
  expect(spec(service("app-nginx")).healthcheck.tests[1]).toBe("curl -fsS http://127.0.0.1/nginx-health > /dev/null");
  const fpmKey = `${T.service}::${service("php-fpm").name}`;
  for (const r of ["app-nginx", "worker", "scheduler"]) expect(run.registrations.get(T.service, service(r).name)!.dependencies).toContain(fpmKey);
});

test("with a cloud registry the release services carry its credentials, as a secret; on the local one none", async () => {
  expect(service("php-fpm").inputs.auth).toBeUndefined();
  const acr = await runStack(STACK, { "php-backend:registryKind": "acr", "php-backend:registryUsername": "deploy@1" }, { registryPassword: "swarm-registry-pw" });
  for (const s of acr.ofType(T.service).filter((s) => ["php-fpm", "app-nginx", "worker", "scheduler"].includes(role(s)!))) {
    expect(s.inputs.auth).toEqual({ serverAddress: "registry.cn-hangzhou.aliyuncs.com", username: "deploy@1", password: "swarm-registry-pw" });
    expect(isSecretWrapper(s.raw.auth) || isSecretWrapper((s.raw.auth as any).password)).toBe(true);
  }
  expect(acr.ofType(T.service).filter((s) => role(s) === "redis").every((s) => s.inputs.auth === undefined)).toBe(true);
});
