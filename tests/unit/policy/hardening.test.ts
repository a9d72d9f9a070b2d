import { containerHardening } from "../../../policy/rules/containerHardening";
import { dataProtected } from "../../../policy/rules/dataProtected";
import { validateResource } from "./support/analyzer";
import { container, ctxFor, LOCAL, migration, PROD } from "./support/fixtures";

const messages = async (...args: Parameters<typeof validateResource>) => (await validateResource(...args)).map((v) => v.message);

/** What the program gives every container: all capabilities dropped, no-new-privileges. */
const hardened = (extra: Record<string, unknown> = {}) => ({ capabilities: { drops: ["ALL"] }, securityOpts: ["no-new-privileges:true"], ...extra });

describe("container-runtime-hardening (mandatory)", () => {
  test("passes hardened containers of every role, non-root and read-only where the role needs it", async () => {
    expect(await messages(containerHardening(), container("fpm-0", "php-fpm", hardened({ capabilities: { drops: ["ALL"], adds: ["SETUID", "SETGID", "CHOWN"] } })))).toEqual([]);
    expect(await messages(containerHardening(), container("worker-0", "worker", hardened({ user: "www-data" })))).toEqual([]);
    expect(await messages(containerHardening(), migration(hardened({ user: "33:33" })))).toEqual([]);
    expect(await messages(containerHardening(), container("edge", "edge", hardened({ readOnly: true, capabilities: { drops: ["ALL"], adds: ["NET_BIND_SERVICE"] } })))).toEqual([]);
    expect(await messages(containerHardening(), container("worker-0", "worker", hardened({ user: "www-data", envs: ["APP_ENV=production", "DB_PASSWORD_FILE=/run/secrets/DB_PASSWORD"] })))).toEqual([]);
  });

  test("names everything a default container lacks", async () => {
    expect(await messages(containerHardening(), container("worker-0", "worker"))).toEqual([
      'container "worker-0" (role worker) needs: capabilities.drops [ALL]; securityOpts "no-new-privileges:true"; a non-root user (has the image\'s default)',
    ]);
    expect(await messages(containerHardening(), container("edge", "edge"))).toEqual([
      'container "edge" (role edge) needs: capabilities.drops [ALL]; securityOpts "no-new-privileges:true"; a read-only root filesystem (readOnly: true)',
    ]);
  });

  test("refuses root users, dangerous capabilities, privileged mode, host namespaces and host mounts", async () => {
    const broken = container("redis-0", "redis", hardened({
      user: "root",
      capabilities: { drops: ["ALL"], adds: ["SYS_ADMIN", "NET_BIND_SERVICE"] },
      securityOpts: ["no-new-privileges:true", "seccomp=unconfined"],
      privileged: true,
      pidMode: "host",
      volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }],
    }));
    expect(await messages(containerHardening(), broken)).toEqual([
      'container "redis-0" (role redis) needs: no added capability beyond CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, NET_BIND_SERVICE (adds SYS_ADMIN); ' +
        'no weakened confinement (securityOpts "seccomp=unconfined"); not privileged; no host pidMode; no host path mount (/var/run/docker.sock); a non-root user (has root)',
    ]);
  });

  test("refuses a credential in a container's environment, naming the variable, not its value", async () => {
    const c = container("fpm-0", "php-fpm", hardened({ envs: ["APP_KEY=base64:abc", "REDIS_PASSWORD=hunter22", "APP_NAME=x"] }));
    const [message] = await messages(containerHardening(), c);
    expect(message).toContain("no credential in its environment (APP_KEY): hand it over as a 0400 file; no credential in its environment (REDIS_PASSWORD)");
    expect(message).not.toContain("hunter22");
  });

  test("checks swarm services' capabilities, users and read-only roots", async () => {
    const service = (role: string, containerSpec: Record<string, unknown>) => ({
      type: "docker:index/service:Service", name: role,
      props: { labels: [{ label: "php-backend.role", value: role }], taskSpec: { containerSpec: { image: "x", ...containerSpec } } },
    });
    expect(await messages(containerHardening(), service("redis", { capDrops: ["ALL"], user: "redis" }))).toEqual([]);
    expect(await messages(containerHardening(), service("edge", { capDrops: ["ALL"], capAdds: ["NET_BIND_SERVICE"], readOnly: true }))).toEqual([]);
    expect(await messages(containerHardening(), service("scheduler", {}))).toEqual([
      'service "scheduler" (role scheduler) needs: capabilities.drops [ALL]; a non-root user (has the image\'s default)',
    ]);
  });
});

describe("data-protected (mandatory where data is kept)", () => {
  const volume = (protect: boolean) => ({ type: "docker:index/volume:Volume", name: "uploads", props: { name: "php-backend-prod-uploads" }, protect });
  const acrRepo = { type: "alicloud:cr/repo:Repo", name: "backend-repo", props: { name: "laravel-backend" } };

  test("passes protected volumes in prod and dev, and anything on a local stack", async () => {
    expect(await messages(dataProtected(PROD), volume(true))).toEqual([]);
    expect(await messages(dataProtected(ctxFor("dev")), volume(true))).toEqual([]);
    expect(await messages(dataProtected(LOCAL), volume(false))).toEqual([]);
  });

  test("refuses an unprotected volume or registry repository in dev and prod", async () => {
    expect(await messages(dataProtected(PROD), volume(false))).toEqual([
      'Volume "uploads" holds data and is not protected: declare it with protect: true',
    ]);
    expect(await messages(dataProtected(ctxFor("staging", { "php-backend:environment": "dev" })), acrRepo)).toHaveLength(1);
  });
});
