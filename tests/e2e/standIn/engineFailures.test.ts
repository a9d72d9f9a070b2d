/**
 * The engine mocks fail loudly, like the provider would or where they do not implement an input.
 * These call newResource directly: through the SDK, a failed registration surfaces as an
 * unhandled rejection, which fails (or, after the test ended, crashes) the jest worker.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docker as cli } from "../../../harness/engine/dockerCli";
import { DockerEngineMocks, leftovers } from "../../../harness/engine/dockerEngineMocks";
import { secret } from "../../../harness/engine/inputs";

jest.setTimeout(2 * 60_000);
const BASE = "stand-in/debian:bookworm";
const mocks = new DockerEngineMocks();
const create = async (type: string, name: string, inputs: Record<string, unknown>) => {
  const { id, state } = await mocks.newResource({ type, name, inputs, custom: true });
  return { id: id!, state };
};
const container = (name: string, inputs: Record<string, unknown>) =>
  create("docker:index/container:Container", name, { image: BASE, ...inputs });

afterAll(async () => {
  await mocks.teardown();
  expect(await leftovers(mocks.runId)).toEqual([]);
});

test("an unknown resource type or function is an error", async () => {
  await expect(create("docker:index/plugin:Plugin", "plugin", {})).rejects.toThrow(/not implemented/);
  expect(() => mocks.call({ token: "docker:index/getNetwork:getNetwork", inputs: {} })).toThrow(/getNetwork/);
});

test("an input the mocks do not implement is an error naming it, before anything is created", async () => {
  await expect(container("gpu", { gpus: "all" })).rejects.toThrow(/input "gpus" is not supported/);
  await expect(container("mac", { networksAdvanced: [{ name: "x", macAddress: "02:42:ac:11:00:02" }] })).rejects.toThrow(
    /networksAdvanced\[0\]: input "macAddress" is not supported/,
  );
  await expect(
    create("docker:index/image:Image", "img", { imageName: "x:1", build: { context: ".", ssh: "default" } }),
  ).rejects.toThrow(/build: input "ssh" is not supported/);
  await expect(create("pulumi:providers:docker", "remote", { host: "tcp://10.0.0.1:2376" })).rejects.toThrow(/"host"/);
  expect(mocks.ledger.list()).toEqual([]);
});

test("a required value that never resolved (absent key) is an error", async () => {
  await expect(container("nonet", { networksAdvanced: [{ aliases: ["a"] }] })).rejects.toThrow(
    /networksAdvanced\[0\]\.name is required/,
  );
});

test("secret-wrapped inputs are unwrapped, and the outputs stay secret", async () => {
  const labels = secret([{ label: "token", value: "s3cr3t" }]);
  const { id, state } = await create("docker:index/volume:Volume", "secret-labels", { labels });
  expect(JSON.parse(await cli(["volume", "inspect", id]))[0].Labels.token).toBe("s3cr3t");
  expect(state.labels).toEqual(labels);
});

test("attach: true with the default mustRun fails like the provider, and removes the container", async () => {
  const err = container("oneshot", { command: ["true"], attach: true });
  await expect(err).rejects.toThrow(/failed to be in running state .*mustRun: false/s);
  expect(mocks.created.find((c) => c.name === "oneshot")).toBeUndefined();
  expect(await cli(["ps", "-a", "-q", "--filter", `label=e2e.run=${mocks.runId}`])).toBe("");
});

test("attach: true with mustRun: false returns the exit code and the logs", async () => {
  const { state } = await container("fails", {
    command: ["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"],
    attach: true,
    logs: true,
    mustRun: false,
  });
  expect(state.exitCode).toBe(3);
  // Both streams are kept; their interleaving is up to the engine.
  expect(state.containerLogs.split("\n").sort()).toEqual(["", "to-stderr", "to-stdout"]);
});

test("wait: true fails with the last health check output when the container never gets healthy", async () => {
  const err = container("unhealthy", {
    command: ["sleep", "60"],
    healthcheck: { tests: ["CMD-SHELL", "echo not ready yet; exit 1"], interval: "500ms", retries: 1 },
    wait: true,
    waitTimeout: 3,
  });
  await expect(err).rejects.toThrow(/failed to be in healthy state within 3s .*not ready yet/s);
  await expect(container("nocheck", { command: ["sleep", "60"], wait: true })).rejects.toThrow(/requires a health check/);
});

test("an upload with a source file and explicit permissions and owner", async () => {
  const dir = mkdtempSync(join(tmpdir(), "e2e-upload-"));
  writeFileSync(join(dir, "conf.ini"), "key=value\n");
  try {
    const { id } = await container("uploader", {
      command: ["sleep", "60"],
      uploads: [{ file: "/etc/app/conf.ini", source: join(dir, "conf.ini"), permissions: "0640", owner: "33", group: "33" }],
    });
    expect(await cli(["exec", id, "stat", "-c", "%a %u %g", "/etc/app/conf.ini"])).toBe("640 33 33");
    expect(await cli(["exec", id, "cat", "/etc/app/conf.ini"])).toBe("key=value");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
