/**
 * A second run of a program against the same mocks is an update, applied the way the docker
 * provider applies it (resourceDockerContainerUpdate): restart policy and memory reach the running
 * container, a new health check is only stored, and a ForceNew change replaces the container in the
 * order the program set. A preview changes nothing on the engine.
 */
import type * as pulumiType from "@pulumi/pulumi";
import type * as dockerType from "@pulumi/docker";
import { docker as cli } from "../../../harness/engine/dockerCli";
import { DockerEngineMocks, leftovers, PlannedStep } from "../../../harness/engine/dockerEngineMocks";

jest.setTimeout(3 * 60_000);
const BASE = "stand-in/debian:bookworm";
const mocks = new DockerEngineMocks();
const CONTAINER = "docker:index/container:Container";

interface Spec {
  memory: number;
  restart: string;
  interval: string;
  command: string[];
}

/** One run of a one-container program (fresh SDK modules, like a new `pulumi up`). */
async function run(mode: "update" | "preview", spec: Spec): Promise<{ plan: PlannedStep[]; id?: string }> {
  let pulumi!: typeof pulumiType;
  let id!: pulumiType.Output<string>;
  jest.isolateModules(() => {
    pulumi = require("@pulumi/pulumi");
    const docker: typeof dockerType = require("@pulumi/docker");
    mocks.install(pulumi, "proj", "stack", mode === "preview");
    mocks.begin(mode);
    id = new docker.Container("svc", {
      image: BASE,
      command: spec.command,
      memory: spec.memory,
      memorySwap: spec.memory,
      restart: spec.restart,
      healthcheck: { tests: ["CMD", "true"], interval: spec.interval, timeout: "1s" },
      wait: true,
    }, { deleteBeforeReplace: false }).id;
  });
  const value = mode === "update" ? await mocks.value(id) : undefined;
  await pulumi.runtime.disconnect();
  return { plan: await mocks.finish(), id: value };
}

const inspect = async (id: string) => JSON.parse(await cli(["inspect", id]))[0];
const first: Spec = { memory: 64, restart: "no", interval: "1s", command: ["sleep", "300"] };
let id: string;

beforeAll(async () => {
  const r = await run("update", first);
  expect(r.plan.map((s) => s.op)).toEqual(["create"]);
  id = r.id!;
});

afterAll(async () => {
  await mocks.teardown();
  expect(await leftovers(mocks.runId)).toEqual([]);
});

test("the same program again: no change", async () => {
  const r = await run("update", first);
  expect(r.plan.map((s) => s.op)).toEqual(["same"]);
  expect(r.id).toBe(id);
});

test("a preview of an update plans it and changes nothing", async () => {
  const r = await run("preview", { ...first, memory: 128 });
  expect(r.plan).toEqual([{ op: "update", type: CONTAINER, name: "svc", fields: ["memory", "memorySwap"] }]);
  expect((await inspect(id)).HostConfig.Memory).toBe(64 * 1024 * 1024);
});

test("restart, memory and healthcheck update in place; only restart and memory reach the container", async () => {
  const r = await run("update", { ...first, memory: 128, restart: "unless-stopped", interval: "2s" });
  expect(r.plan).toEqual([{ op: "update", type: CONTAINER, name: "svc", fields: ["restart", "memory", "memorySwap", "healthcheck"] }]);
  expect(r.id).toBe(id);
  const c = await inspect(id);
  expect(c.HostConfig.Memory).toBe(128 * 1024 * 1024);
  expect(c.HostConfig.RestartPolicy.Name).toBe("unless-stopped");
  expect(c.Config.Healthcheck.Interval).toBe(1e9); // the provider stores the new one, applies nothing
  // and the stored state is the plan: running it again is no change.
  expect((await run("update", { ...first, memory: 128, restart: "unless-stopped", interval: "2s" })).plan.map((s) => s.op)).toEqual(["same"]);
});

test("a new command replaces the container, create first: the old one is deleted at the end", async () => {
  const r = await run("update", { ...first, memory: 128, restart: "unless-stopped", interval: "2s", command: ["sleep", "301"] });
  expect(r.plan).toEqual([{ op: "replace", type: CONTAINER, name: "svc", deleteFirst: false, fields: ["command"] }]);
  expect(r.id).not.toBe(id);
  expect((await inspect(r.id!)).Config.Cmd).toEqual(["sleep", "301"]);
  await expect(inspect(id)).rejects.toThrow(/No such object/);
});
