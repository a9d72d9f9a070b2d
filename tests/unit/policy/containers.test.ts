import { hostPorts } from "../../../policy/rules/hostPorts";
import { imagePinning } from "../../../policy/rules/imagePinning";
import { longRunning } from "../../../policy/rules/longRunning";
import { validateResource } from "./support/analyzer";
import { container, DIGEST, LOCAL, migration, PROD, remoteImage } from "./support/fixtures";

const messages = async (...args: Parameters<typeof validateResource>) => (await validateResource(...args)).map((v) => v.message);

describe("image-pinned-by-digest (mandatory)", () => {
  test("passes a repo digest and an image id, in prod too", async () => {
    expect(await messages(imagePinning(PROD), container("fpm-0", "php-fpm"))).toEqual([]);
    expect(await messages(imagePinning(PROD), container("edge", "edge", { image: DIGEST }))).toEqual([]);
    expect(await messages(imagePinning(PROD), remoteImage("edge-image", "nginx:1.27"))).toEqual([]);
  });

  test("passes a pinned tag outside prod, and refuses it in prod", async () => {
    const byTag = container("redis-0", "redis", { image: "redis:7.2" });
    expect(await messages(imagePinning(LOCAL), byTag)).toEqual([]);
    expect(await messages(imagePinning(PROD), byTag)).toEqual([
      'container "redis-0" runs image "redis:7.2": use the pushed repo digest (Image.repoDigest) or a RemoteImage\'s imageId (prod runs nothing by tag)',
    ]);
  });

  test("refuses latest, said or implied, on containers and RemoteImages everywhere", async () => {
    expect(await messages(imagePinning(LOCAL), container("edge", "edge", { image: "nginx:latest" }))).toHaveLength(1);
    expect(await messages(imagePinning(LOCAL), container("edge", "edge", { image: "registry.local:5000/nginx" }))).toHaveLength(1);
    expect(await messages(imagePinning(LOCAL), remoteImage("redis-image", "redis"))).toEqual([
      'RemoteImage "redis-image" pulls "redis": name a version tag or a digest, never latest',
    ]);
    expect(await messages(imagePinning(LOCAL), remoteImage("redis-image", `redis@${DIGEST}`))).toEqual([]);
  });
});

describe("host-ports-edge-only (mandatory)", () => {
  const port = (ip?: string) => [{ internal: 80, external: 8080, ...(ip ? { ip } : {}) }];

  test("lets the edge publish on any address and the registry on 127.0.0.1", async () => {
    expect(await messages(hostPorts, container("edge", "edge", { ports: port("0.0.0.0") }))).toEqual([]);
    expect(await messages(hostPorts, container("registry", "registry", { ports: port("127.0.0.1") }))).toEqual([]);
    expect(await messages(hostPorts, container("fpm-0", "php-fpm", { ports: [] }))).toEqual([]);
  });

  test("refuses a registry on another address and any other role publishing", async () => {
    expect(await messages(hostPorts, container("registry", "registry", { ports: port() }))).toEqual([
      'container "registry" (role registry) publishes port 8080 on 0.0.0.0: the local registry binds 127.0.0.1 only',
    ]);
    expect(await messages(hostPorts, container("redis-0", "redis", { ports: [{ internal: 6379 }] }))).toEqual([
      'container "redis-0" (role redis) publishes host ports 0.0.0.0:random->6379: only the edge does; others are reached on the stack network',
    ]);
  });

  test("refuses host networking and publishAllPorts, even on the edge", async () => {
    expect(await messages(hostPorts, container("edge", "edge", { networkMode: "host" }))).toHaveLength(1);
    expect(await messages(hostPorts, container("fpm-0", "php-fpm", { publishAllPorts: true }))).toHaveLength(1);
  });
});

describe("long-running-limits (mandatory)", () => {
  test("passes a container with limits, restart, health check and rotated logs, and skips the migration", async () => {
    expect(await messages(longRunning(), container("worker-0", "worker"))).toEqual([]);
    expect(await messages(longRunning(), migration())).toEqual([]);
  });

  test("lists everything a container lacks", async () => {
    const bare = container("worker-0", "worker", {
      memory: undefined, cpus: undefined, restart: "no", healthcheck: { tests: ["NONE"] }, logOpts: { "max-size": "10m" },
    });
    expect(await messages(longRunning(), bare)).toEqual([
      'container "worker-0" (role worker) lacks: memory limit, cpus limit, restart policy (always, unless-stopped, on-failure; has no), health check, json-file log rotation (max-size and max-file)',
    ]);
  });

  test("checks a container labelled migrate that is not a one-shot", async () => {
    expect(await messages(longRunning(), migration({ attach: undefined }))).toHaveLength(1);
  });

  test("holds the local registry to the same rules", async () => {
    const registry = container("registry", "registry", { memory: undefined, cpus: undefined, healthcheck: undefined });
    expect(await messages(longRunning(), registry)).toEqual([
      'container "registry" (role registry) lacks: memory limit, cpus limit, health check',
    ]);
    expect(await messages(longRunning(), container("registry", "registry"))).toEqual([]);
  });
});
