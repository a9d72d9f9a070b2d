import * as pulumi from "@pulumi/pulumi";
import { appEnvironment, OWNED_ENV } from "../../release/environment";
import * as names from "../../release/names";
import { describeRelease } from "../../release/roles";
import { parseSettings } from "../../stacks/settings";
import { configSource } from "./support/configSource";

const settings = (extra: Record<string, unknown> = {}) =>
  parseSettings(configSource({ version: "v1.4.2", dbKind: "container", fpmReplicas: "3", workerReplicas: "2", fpmMaxChildren: "12", workerQueue: "high,low", ...extra }), "dev");
const TAG = "v1.4.2-0123456789ab";

describe("describeRelease", () => {
  const plan = describeRelease(settings(), TAG);

  test("names this release's php-fpm after the backend tag, and points nginx at it", () => {
    expect(plan.fpmAlias).toBe("fpm-v1-4-2-0123456789ab");
    expect(plan.fpm.aliases).toEqual([plan.fpmAlias]);
    const site = plan.nginx.files.find((f) => f.path === names.NGINX_SITE_FILE)!.content;
    expect(site).toContain(`set $fpm_upstream ${plan.fpmAlias}:${names.FPM_PORT};`);
    expect(site).toContain(`root ${names.PUBLIC_DIR};`);
    expect(plan.nginx.aliases).toEqual([names.APP_ALIAS]);
  });

  test("takes replicas, pool size and worker options from the settings", () => {
    expect([plan.fpm.replicas, plan.nginx.replicas, plan.worker.replicas, plan.scheduler.replicas]).toEqual([3, 2, 2, 1]);
    expect(plan.fpm.files[0]).toMatchObject({ path: names.FPM_POOL_FILE, content: expect.stringContaining("pm.max_children = 12") });
    expect(plan.worker.command).toEqual(["php", "artisan", "queue:work", "redis", "--queue=high,low", "--sleep=3", "--tries=3", "--max-time=3600"]);
    expect(plan.worker.stopGraceSeconds).toBe(60);
  });

  test("rolls out serving roles start-first and the scheduler stop-first, alone", () => {
    expect([plan.fpm, plan.nginx, plan.worker].map((r) => r.rollout)).toEqual(["start-first", "start-first", "start-first"]);
    expect(plan.scheduler).toMatchObject({ rollout: "stop-first", singleton: true, replicas: 1 });
  });

  test("drains php-fpm and nginx with SIGQUIT, the PHP CLI roles with SIGTERM", () => {
    expect([plan.fpm, plan.nginx, plan.worker, plan.scheduler].map((r) => r.stopSignal)).toEqual(["SIGQUIT", "SIGQUIT", "SIGTERM", "SIGTERM"]);
  });

  test("runs backend roles from the app directory with the app environment; nginx without it", () => {
    for (const role of [plan.fpm, plan.worker, plan.scheduler]) {
      expect(role).toMatchObject({ image: "backend", workingDir: names.APP_DIR, appEnvironment: true, release: "v1.4.2" });
    }
    expect(plan.migration).toMatchObject({ image: "backend", workingDir: names.APP_DIR });
    expect(plan.migration.command).toEqual(["sh", "-c", `php ${names.RELEASE_CHECK_FILE} && exec php artisan migrate --force --no-interaction`]);
    expect(plan.migration.files.map((f) => f.path)).toEqual([names.RELEASE_CHECK_FILE]);
    expect(plan.nginx).toMatchObject({ image: "nginx", appEnvironment: false });
  });

  test("checks nginx's own health path, or the app's through php-fpm when one is set", () => {
    expect(plan.nginx.health).toBe(`curl -fsS http://127.0.0.1${names.NGINX_HEALTH_PATH} > /dev/null`);
    expect(describeRelease(settings({ healthPath: "/up" }), TAG).nginx.health).toBe("curl -fsS http://127.0.0.1/up > /dev/null");
  });

  test("labels nginx with its own version when only the backend moves", () => {
    const p = describeRelease(settings({ backendVersion: "v1.5.0" }), "v1.5.0-0123456789ab");
    expect([p.fpm.release, p.nginx.release]).toEqual(["v1.5.0", "v1.4.2"]);
  });
});

describe("appEnvironment", () => {
  const refs = { appKey: pulumi.secret("base64:k"), redisPassword: pulumi.secret("r"), dbPassword: pulumi.secret("d"), sentinels: ["redis-sentinel-0:26379", "redis-sentinel-1:26379"], redisServiceName: "app-redis", redisRouter: { host: "redis", port: 6379 } };
  const lines = (out: pulumi.Output<string[]>) => new Promise<string[]>((resolve) => out.apply(resolve));

  test("sets exactly the owned variables, then appEnv and appSecretEnv, as one secret", async () => {
    const s = settings({ appEnv: { MAIL_MAILER: "log" }, "appSecretEnv!": { MAIL_PASSWORD: "m" } });
    const env = appEnvironment(s, refs);
    const got = await lines(env);
    expect(got.map((l) => l.split("=")[0])).toEqual([...OWNED_ENV, "MAIL_MAILER", "MAIL_PASSWORD"]);
    expect(got).toContain("REDIS_SENTINELS=redis-sentinel-0:26379,redis-sentinel-1:26379");
    expect(got).toContain(`DB_HOST=${names.DATABASE_ALIAS}`);
    expect(got).toEqual(expect.arrayContaining(["REDIS_HOST=redis", "REDIS_PORT=6379"]));
    expect(await pulumi.isSecret(env)).toBe(true);
  });
});
