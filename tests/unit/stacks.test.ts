import { ProgramRun, runStack } from "./support/runProgram";
import { aliases, byRole, envOf, label, T } from "./support/resources";

const STACKS = {
  local: { fpm: 2, nginx: 2, worker: 1, redisNodes: 3, sentinels: 3, registry: "127.0.0.1:5000", database: 1 },
  dev: { fpm: 2, nginx: 2, worker: 1, redisNodes: 2, sentinels: 3, registry: "registry.cn-hangzhou.aliyuncs.com", database: 0 },
  prod: { fpm: 4, nginx: 2, worker: 3, redisNodes: 3, sentinels: 5, registry: "example-prod-registry.cn-shanghai.cr.aliyuncs.com", database: 0 },
} as const;

describe.each(Object.entries(STACKS))("stack %s", (stack, want) => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  }, 60_000);

  const containers = () => run.ofType(T.container);
  const images = () => run.ofType(T.image);
  const backendImage = () => images().find((i) => i.name.endsWith("backend-image"))!;
  const nginxImage = () => images().find((i) => i.name.endsWith("nginx-image"))!;

  test("declares one container per configured replica and role", () => {
    const count = (r: string) => byRole(containers(), r).length;
    expect(count("php-fpm")).toBe(want.fpm);
    expect(count("app-nginx")).toBe(want.nginx);
    expect(count("worker")).toBe(want.worker);
    expect(count("scheduler")).toBe(1);
    expect(count("migrate")).toBe(1);
    expect(count("redis")).toBe(want.redisNodes);
    expect(count("redis-sentinel")).toBe(want.sentinels);
    expect(count("edge")).toBe(1);
    expect(count("database")).toBe(want.database);
    expect(count("registry")).toBe(stack === "local" ? 1 : 0);
    expect(images()).toHaveLength(2);
    expect(run.ofType(T.network)).toHaveLength(1);
  });

  test("pushes both release images to the configured registry, tagged with the version and a content hash", () => {
    expect(backendImage().inputs.imageName).toMatch(new RegExp(`^${want.registry}/[a-z0-9-]+/laravel-backend:v1\\.0\\.0-[0-9a-f]{12}$`));
    expect(nginxImage().inputs.imageName).toMatch(new RegExp(`^${want.registry}/[a-z0-9-]+/laravel-nginx:v1\\.0\\.0-[0-9a-f]{12}$`));
    // A preview builds and pushes nothing.
    for (const image of images()) expect(image.inputs.buildOnPreview).toBe(false);
    expect(backendImage().inputs.registry.server).toBe(want.registry);
    expect(run.outputs.registryServer.value).toBe(want.registry);
  });

  test("runs every release container from the pushed digest of its image", () => {
    const backendDigest = run.outputs.backendImage.value as string;
    const nginxDigest = run.outputs.nginxImage.value as string;
    expect(backendDigest).toMatch(/@sha256:[0-9a-f]{64}$/);
    for (const r of ["php-fpm", "worker", "scheduler", "migrate"]) {
      for (const c of byRole(containers(), r)) expect(c.inputs.image).toBe(backendDigest);
    }
    for (const c of byRole(containers(), "app-nginx")) expect(c.inputs.image).toBe(nginxDigest);
    // The nginx image is built from the app's public/ directory alone.
    expect(nginxImage().inputs.build.context).toBe("examples/laravel-app/public");
    expect(Object.keys(nginxImage().inputs.build.args)).toEqual(["NGINX_BASE_IMAGE"]);
  });

  test("wires nginx to this release's php-fpm alias and the edge to the app alias", () => {
    const backendTag = backendImage().inputs.imageName.split(":").pop();
    const alias = `fpm-v1-0-0-${backendTag.slice(-12)}`;
    for (const c of byRole(containers(), "php-fpm")) expect(aliases(c)).toEqual([alias]);
    for (const c of byRole(containers(), "app-nginx")) {
      expect(aliases(c)).toEqual(["app"]);
      expect(c.inputs.uploads).toHaveLength(1);
      expect(c.inputs.uploads[0].file).toBe("/etc/nginx/conf.d/default.conf");
      expect(c.inputs.uploads[0].content).toContain(`set $fpm_upstream ${alias}:9000;`);
    }
    const edge = byRole(containers(), "edge")[0];
    expect(edge.inputs.uploads[0].content).toContain("set $app_upstream app:80;");
  });

  test("gives the app the sentinel addresses, service name and password", () => {
    const env = envOf(byRole(containers(), "php-fpm")[0]);
    expect(env.REDIS_SENTINELS.split(",")).toHaveLength(want.sentinels);
    expect(env.REDIS_SENTINELS).toMatch(/^redis-sentinel-0:26379,/);
    expect(env.REDIS_SENTINEL_SERVICE).toBe("app-redis");
    expect(env.REDIS_PASSWORD).toBeTruthy();
    for (const s of byRole(containers(), "redis-sentinel")) {
      expect(s.inputs.uploads[0].content).toContain(`sentinel auth-pass app-redis ${JSON.stringify(env.REDIS_PASSWORD)}`);
    }
  });

  test("starts release services only after the migration succeeded", () => {
    const order = (c: { name: string }) => run.mocks.resources.findIndex((r) => r.name === c.name && r.type === T.container);
    const migrate = byRole(containers(), "migrate")[0];
    expect(migrate.inputs.attach).toBe(true);
    expect(migrate.inputs.mustRun).toBe(false);
    expect(migrate.inputs.command).toEqual(["sh", "-c", "php /tmp/release-check.php && exec php artisan migrate --force --no-interaction"]);
    expect(migrate.inputs.uploads.map((u: { file: string }) => u.file)).toEqual(["/tmp/release-check.php"]);
    for (const r of ["php-fpm", "worker", "scheduler", "app-nginx"]) {
      for (const c of byRole(containers(), r)) {
        expect(order(c)).toBeGreaterThan(order(migrate));
        if (r !== "app-nginx") expect(label(c, "php-backend.migration")).toBe("v1.0.0");
      }
    }
  });

  test("publishes host ports from the edge (and the loopback-only local registry) only", () => {
    const publishing = containers().filter((c) => (c.inputs.ports ?? []).length > 0);
    expect(publishing.map((c) => label(c, "php-backend.role")).sort()).toEqual(stack === "local" ? ["edge", "registry"] : ["edge"]);
    for (const c of byRole(containers(), "registry")) expect(c.inputs.ports[0].ip).toBe("127.0.0.1");
    for (const r of ["redis", "redis-sentinel", "php-fpm"]) {
      for (const c of byRole(containers(), r)) expect(c.inputs.ports ?? []).toEqual([]);
    }
  });

  test("every long-running container has a health check, restart policy, rotated logs and limits", () => {
    for (const c of containers().filter((c) => !["migrate", "registry"].includes(label(c, "php-backend.role")!))) {
      expect(c.inputs.healthcheck.tests[0]).toBe("CMD-SHELL");
      expect(c.inputs.restart).toBe("unless-stopped");
      expect(c.inputs.logDriver).toBe("json-file");
      expect(c.inputs.logOpts["max-size"]).toBeDefined();
      expect(c.inputs.memory).toBeGreaterThan(0);
    }
  });
});
