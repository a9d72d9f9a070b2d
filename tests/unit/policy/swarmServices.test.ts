import { swarmServices } from "../../../policy/rules/swarmServices";
import { T } from "../support/resources";
import { ResourceSpec, validateResource } from "./support/analyzer";
import { LOCAL, PROD, REPO_DIGEST } from "./support/fixtures";

const messages = async (...args: Parameters<typeof validateResource>) => (await validateResource(...args)).map((v) => v.message);

/** A swarm service shaped like the program's; `change` replaces parts of it. */
function service(name: string, role: string, change: (s: Record<string, any>) => void = () => {}): ResourceSpec {
  const props: Record<string, any> = {
    name: `php-backend-test-${name}`,
    labels: [{ label: "php-backend.stack", value: "php-backend-test" }, { label: "php-backend.role", value: role }],
    mode: { replicated: { replicas: 2 } },
    taskSpec: {
      containerSpec: {
        image: REPO_DIGEST,
        env: { APP_ENV: "prod", DB_HOST: "db" },
        secrets: [{ secretId: "s1", secretName: "php-backend-test-app-key-0123456789ab", fileName: "/run/secrets/APP_KEY" }],
        healthcheck: { tests: ["CMD-SHELL", "true"], interval: "5s", timeout: "3s", retries: 3, startPeriod: "10s" },
      },
      resources: { limits: { nanoCpus: 1e9, memoryBytes: 512 * 1024 * 1024 } },
      restartPolicy: { condition: "any", delay: "5s", maxAttempts: 0, window: "0s" },
      logDriver: { name: "json-file", options: { "max-size": "10m", "max-file": "3" } },
    },
    updateConfig: { parallelism: 1, order: "start-first", failureAction: "rollback" },
    endpointSpec: { mode: "dnsrr" },
  };
  change(props);
  return { type: T.service, name, props };
}

describe("swarm-service-runtime (mandatory)", () => {
  test("passes the program's shape of a release service and of an edge publishing in host mode", async () => {
    expect(await messages(swarmServices(PROD), service("fpm", "php-fpm"))).toEqual([]);
    const edge = service("edge", "edge", (s) => (s.endpointSpec.ports = [{ targetPort: 80, publishedPort: 80, publishMode: "host" }]));
    expect(await messages(swarmServices(PROD), edge)).toEqual([]);
    const db = service("db", "database", (s) => (s.taskSpec.containerSpec.env = { POSTGRES_PASSWORD_FILE: "/run/secrets/POSTGRES_PASSWORD" }));
    expect(await messages(swarmServices(LOCAL), db)).toEqual([]);
  });

  test("refuses a credential in a service's environment", async () => {
    const leaky = service("fpm", "php-fpm", (s) => (s.taskSpec.containerSpec.env.DB_PASSWORD = "x"));
    expect(await messages(swarmServices(LOCAL), leaky)).toEqual([
      'service "fpm" (role php-fpm) needs: no credential in its environment (DB_PASSWORD): hand it over as a Docker secret file',
    ]);
  });

  test("refuses a release service that does not roll back, one without limits, health check or log rotation", async () => {
    const bare = service("worker", "worker", (s) => {
      delete s.updateConfig;
      delete s.taskSpec.resources;
      delete s.taskSpec.containerSpec.healthcheck;
      s.taskSpec.logDriver = { name: "json-file" };
    });
    expect(await messages(swarmServices(LOCAL), bare)).toEqual([
      'service "worker" (role worker) needs: memory and CPU limits; a health check; json-file log rotation (max-size and max-file); updateConfig.failureAction rollback (a failed rollout must roll back)',
    ]);
  });

  test("refuses a published port on anything but the edge, and the routing mesh on the edge", async () => {
    const published = service("fpm", "php-fpm", (s) => (s.endpointSpec.ports = [{ targetPort: 9000, publishedPort: 9000, publishMode: "host" }]));
    expect(await messages(swarmServices(LOCAL), published)).toEqual(['service "fpm" (role php-fpm) needs: no published port (9000): only the edge publishes']);
    const mesh = service("edge", "edge", (s) => (s.endpointSpec.ports = [{ targetPort: 80, publishedPort: 80, publishMode: "ingress" }]));
    expect(await messages(swarmServices(LOCAL), mesh)).toEqual(['service "edge" (role edge) needs: host-mode publishing of port 80 (no routing mesh)']);
  });

  test("refuses a tagged image in prod and latest everywhere", async () => {
    const tagged = service("redis-0", "redis", (s) => (s.taskSpec.containerSpec.image = "redis:7.2"));
    expect(await messages(swarmServices(LOCAL), tagged)).toEqual([]);
    expect(await messages(swarmServices(PROD), tagged)).toEqual(['service "redis-0" (role redis) needs: image "redis:7.2" is not pinned by digest (prod runs nothing by tag)']);
    expect(await messages(swarmServices(LOCAL), service("edge", "edge", (s) => (s.taskSpec.containerSpec.image = "nginx")))).toHaveLength(1);
  });
});
