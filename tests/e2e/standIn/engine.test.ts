/**
 * Proves the engine mocks on a real Docker engine: a small Pulumi program runs under
 * DockerEngineMocks, and the result is checked with `docker inspect`/`docker exec`.
 * Needs a Docker engine and the stand-in images (scripts/ensure-docker.sh).
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { docker as cli } from "../../../harness/engine/dockerCli";
import { DockerEngineMocks, leftovers, sweepRun } from "../../../harness/engine/dockerEngineMocks";

const BASE = "stand-in/debian:bookworm";
const mocks = new DockerEngineMocks({ log: (m) => process.env.E2E_VERBOSE && console.log(m) });
mocks.install(pulumi, "proj", "stack");
jest.setTimeout(5 * 60_000);

const inspect = async (kind: string, ref: string) => JSON.parse(await cli([kind, "inspect", ref]))[0];

/** `dependent`'s newResource started after `dependency`'s returned. */
function expectStartedAfter(dependent: string, dependency: string) {
  const at = (event: string, name: string) => mocks.events.findIndex((e) => e.event === event && e.name === name);
  expect(at("done", dependency)).toBeGreaterThanOrEqual(0);
  expect(at("start", dependent)).toBeGreaterThan(at("done", dependency));
}

afterAll(async () => {
  await mocks.teardown().finally(() => sweepRun(mocks.runId));
});

describe("a program with a network, a volume, a healthy server and a one-shot client", () => {
  const password = new random.RandomPassword("db-password", { length: 24, special: false, minNumeric: 2 });
  const network = new docker.Network("backend", { labels: [{ label: "purpose", value: "engine-mocks-test" }] });
  const volume = new docker.Volume("shared", {});
  const server = new docker.Container("server", {
    image: BASE,
    // Marks readiness in the shared volume, then idles; the health check waits for the mark.
    command: ["sh", "-c", "cp /srv/hello.txt /shared/ready && exec sleep 300"],
    envs: [pulumi.interpolate`DB_PASSWORD=${password.result}`, "GREETING=hello"],
    labels: [{ label: "role", value: "server" }],
    networksAdvanced: [{ name: network.name, aliases: ["server-alias"] }],
    volumes: [{ volumeName: volume.name, containerPath: "/shared" }],
    uploads: [
      { file: "/srv/hello.txt", content: "hello from an upload\n" },
      { file: "/usr/local/bin/ready.sh", content: "#!/bin/sh\ntest -f /shared/ready\n", executable: true },
    ],
    healthcheck: { tests: ["CMD", "/usr/local/bin/ready.sh"], interval: "1s", timeout: "2s", retries: 5 },
    wait: true,
    waitTimeout: 30,
    init: true,
    memory: 64,
    restart: "unless-stopped",
    logDriver: "json-file",
    logOpts: { "max-size": "1m" },
  });
  // No data dependency on the server: only dependsOn orders it after the server is healthy.
  const client = new docker.Container(
    "client",
    {
      image: BASE,
      command: ["sh", "-c", "getent hosts server-alias && cat /shared/ready"],
      networksAdvanced: [{ name: network.name }],
      volumes: [{ volumeName: volume.name, containerPath: "/shared", readOnly: true }],
      attach: true,
      logs: true,
      mustRun: false,
    },
    { dependsOn: [server] },
  );

  test("network and volume exist with the program's labels and autonames", async () => {
    const [netName, volName] = await Promise.all([mocks.value(network.name), mocks.value(volume.name)]);
    expect(netName).toMatch(/^backend-[0-9a-f]{7}$/);
    const n = await inspect("network", netName);
    expect(n.Labels).toEqual({ purpose: "engine-mocks-test", "e2e.run": mocks.runId });
    expect((await inspect("volume", volName)).Labels).toEqual({ "e2e.run": mocks.runId });
  });

  test("the server container got every input and is healthy", async () => {
    const [id, name, netName, pw] = await Promise.all([
      mocks.value(server.id),
      mocks.value(server.name),
      mocks.value(network.name),
      mocks.value(password.result),
    ]);
    expect(name).toMatch(/^server-[0-9a-f]{7}$/);
    const c = await inspect("container", id);
    expect(c.Config.Env).toEqual(expect.arrayContaining([`DB_PASSWORD=${pw}`, "GREETING=hello"]));
    expect(c.Config.Labels).toMatchObject({ role: "server", "e2e.run": mocks.runId });
    expect(Object.keys(c.NetworkSettings.Networks)).toEqual([netName]); // moved off the default bridge
    expect(c.NetworkSettings.Networks[netName].Aliases).toContain("server-alias");
    expect(c.State.Health.Status).toBe("healthy");
    expect(c.Config.Healthcheck).toMatchObject({
      Test: ["CMD", "/usr/local/bin/ready.sh"],
      Interval: 1e9,
      Timeout: 2e9,
      Retries: 5,
    });
    expect(c.HostConfig).toMatchObject({
      Memory: 64 * 1024 * 1024,
      Init: true,
      RestartPolicy: { Name: "unless-stopped", MaximumRetryCount: 0 },
      LogConfig: { Type: "json-file", Config: { "max-size": "1m" } },
    });
    expect(await cli(["exec", id, "cat", "/srv/hello.txt"])).toBe("hello from an upload");
    expect(await cli(["exec", id, "stat", "-c", "%a", "/usr/local/bin/ready.sh"])).toBe("744");
    expect(await pulumi.isSecret(server.envs)).toBe(true); // one secret element makes the list secret
  });

  test("the client resolved the server by alias, saw its readiness mark and exited 0", async () => {
    const [exitCode, logs, serverId, netName] = await Promise.all([
      mocks.value(client.exitCode),
      mocks.value(client.containerLogs),
      mocks.value(server.id),
      mocks.value(network.name),
    ]);
    const serverIp = (await inspect("container", serverId)).NetworkSettings.Networks[netName].IPAddress;
    expect(exitCode).toBe(0);
    expect(logs).toMatch(new RegExp(`^${serverIp.replace(/\./g, "\\.")}\\s+server-alias$`, "m"));
    expect(logs).toContain("hello from an upload");
  });

  test("dependsOn: the client's newResource starts only after the server's has finished", async () => {
    await mocks.value(client.id);
    expectStartedAfter("client", "server");
  });

  test("RandomPassword: real randomness within the requested classes, and secret", async () => {
    const pw = await mocks.value(password.result);
    expect(pw).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(pw.replace(/\D/g, "").length).toBeGreaterThanOrEqual(2);
    expect(await pulumi.isSecret(password.result)).toBe(true);
  });
});

describe("dependsOn a one-shot migration container, directly and through a component", () => {
  const migrate = (name: string, opts?: pulumi.CustomResourceOptions) =>
    new docker.Container(name, { image: BASE, command: ["sleep", "2"], attach: true, mustRun: false }, opts);
  const direct = migrate("migrate");
  const app = new docker.Volume("app-data", {}, { dependsOn: [direct] });
  const component = new pulumi.ComponentResource("test:index:Migration", "migration");
  migrate("migrate-child", { parent: component });
  const afterComponent = new docker.Volume("after-component", {}, { dependsOn: [component] });

  test("the dependent's newResource starts after the migration's has returned (exited)", async () => {
    await Promise.all([mocks.value(app.name), mocks.value(afterComponent.name)]);
    expect(await mocks.value(direct.exitCode)).toBe(0);
    expectStartedAfter("app-data", "migrate");
    expectStartedAfter("after-component", "migrate-child");
  });
});

describe("teardown", () => {
  test("removes everything the run created, and is safe to call twice", async () => {
    expect(mocks.ledger.list().length).toBeGreaterThan(0);
    await mocks.teardown();
    await mocks.teardown();
    expect(await leftovers(mocks.runId)).toEqual([]);
    expect(mocks.ledger.list()).toEqual([]);
  });
});
