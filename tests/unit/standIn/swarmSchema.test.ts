/**
 * The stand-in's rules for swarm resources, each against the source it follows:
 * terraform-provider-docker v4.5.0 resource_docker_service.go (schema), _structures.go
 * (createServiceSpec, flatten*), _funcs.go (converge counting); resource_docker_secret.go and
 * _config.go; terraform-plugin-sdk v2.40.1 helper/schema (diffList, diffSet, diffMap) and
 * helper/retry (StateChangeConf errors); docker/docker v28.5.2 client (image references).
 */
import { engine } from "../../../harness/engine/dockerApi";
import { changeOf, UNKNOWN } from "../../../harness/engine/providerSchema";
import { imageWithDigestString, imageWithTagString, serviceCreate } from "../../../harness/engine/serviceClient";
import { replicasRunning } from "../../../harness/engine/service";
import { serviceReadBack, shortDur } from "../../../harness/engine/serviceReadBack";
import { plannedFields, SERVICE_SCHEMA } from "../../../harness/engine/serviceSchema";
import { checkService, serviceSpecBody } from "../../../harness/engine/serviceSpec";
import { goDurationString, TimeoutError, UnexpectedStateError, waitForState } from "../../../harness/engine/stateChange";

jest.mock("../../../harness/engine/dockerApi", () => ({ ...jest.requireActual("../../../harness/engine/dockerApi"), engine: jest.fn() }));
const engineMock = engine as jest.MockedFunction<typeof engine>;

const SERVICE = "docker:index/service:Service";
const NET = "net0123456789";
const rollout = { parallelism: 1, delay: "0s", failureAction: "rollback", monitor: "5s", maxFailureRatio: "0.0", order: "start-first" };
const base = {
  name: "web",
  labels: [{ label: "stack", value: "s" }],
  mode: { replicated: { replicas: 2 } },
  taskSpec: {
    containerSpec: {
      image: "reg/app@sha256:aa",
      commands: ["php-fpm"],
      env: { A: "1", B: "2" },
      labels: [{ label: "role", value: "fpm" }],
      mounts: [{ target: "/data", source: "uploads", type: "volume", volumeOptions: { labels: [{ label: "v", value: "1" }] } }],
      secrets: [{ secretId: "sec1", secretName: "env", fileName: "env" }, { secretId: "sec2", secretName: "key", fileName: "key" }],
      healthcheck: { tests: ["CMD", "true"], interval: "5s", timeout: "3s", retries: 3, startPeriod: "10s" },
      stopGracePeriod: "10s",
    },
    placement: { constraints: ["node.role==worker", "node.labels.a==b"] },
    networksAdvanceds: [{ id: NET, aliases: ["fpm", "php"] }],
  },
  updateConfig: rollout,
  endpointSpec: { mode: "dnsrr" },
  convergeConfig: { delay: "2s", timeout: "2m" },
};
/** What the provider's read stores after creating `base` (serviceReadBack of such a service). */
const state = {
  ...base,
  taskSpec: {
    ...base.taskSpec,
    containerSpec: {
      ...base.taskSpec.containerSpec,
      mounts: [{ ...base.taskSpec.containerSpec.mounts[0], readOnly: false, volumeOptions: { noCopy: false, labels: [{ label: "v", value: "1" }] } }],
      secrets: base.taskSpec.containerSpec.secrets.map((s) => ({ ...s, fileUid: "0", fileGid: "0", fileMode: 292 })),
      dnsConfig: {},
      init: false,
      isolation: "default",
    },
    resources: {},
    restartPolicy: {},
    placement: { ...base.taskSpec.placement, maxReplicas: 0 },
    forceUpdate: 0,
    runtime: "container",
    networksAdvanceds: [{ id: NET, aliases: ["fpm", "php"], driverOpts: [] }],
  },
  mode: { replicated: { replicas: 2 }, global: false },
  endpointSpec: { mode: "dnsrr", ports: [] },
};
/** base with one nested value replaced. */
function withPath(path: string, value: unknown): any {
  const copy = JSON.parse(JSON.stringify(base));
  const keys = path.split(".");
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k];
  o[keys[keys.length - 1]] = value;
  return copy;
}

describe("docker_service: what replaces (ForceNew, helper/schema diffList/diffSet)", () => {
  test.each([
    ["name", "web2"],
    ["taskSpec.networksAdvanceds", [{ id: NET, aliases: ["fpm"] }]],
    ["taskSpec.networksAdvanceds", [{ id: "othernet", aliases: ["fpm", "php"] }]],
    ["taskSpec.containerSpec.labels", [{ label: "role", value: "worker" }]], // labelSchema: ForceNew label/value
    ["taskSpec.containerSpec.mounts", [{ target: "/data", source: "uploads", type: "volume", volumeOptions: { labels: [{ label: "v", value: "2" }] } }]],
  ])("%s", (path, value) => {
    expect(changeOf(SERVICE, state, withPath(path, value))).toEqual({ op: "replace", fields: [path] });
  });
  test("mode (a ForceNew block): only its count replaces; a replica count inside it updates", () => {
    expect(changeOf(SERVICE, state, withPath("mode.replicated.replicas", 3))).toEqual({ op: "update", fields: ["mode.replicated.replicas"] });
    // replicated -> global keeps mode's count at 1: an in-place update (the engine then refuses it)
    expect(changeOf(SERVICE, state, { ...base, mode: { global: true }, convergeConfig: undefined }).op).toBe("update");
  });
  test("networks_advanced by name: the read-back has the id, so every run replaces the service", () => {
    const byName = withPath("taskSpec.networksAdvanceds", [{ name: NET, aliases: ["fpm", "php"] }]);
    expect(changeOf(SERVICE, state, byName)).toEqual({ op: "replace", fields: ["taskSpec.networksAdvanceds"] });
  });
});

describe("docker_service: what updates in place", () => {
  test.each([
    ["taskSpec.containerSpec.image", "reg/app@sha256:bb"],
    ["taskSpec.containerSpec.env", { A: "1", B: "3" }],
    ["taskSpec.containerSpec.commands", ["php-fpm", "-F"]],
    ["taskSpec.containerSpec.healthcheck", { tests: ["CMD", "false"], interval: "5s", timeout: "3s", retries: 3, startPeriod: "10s" }],
    ["taskSpec.containerSpec.secrets", [{ secretId: "sec3", secretName: "env", fileName: "env" }]],
    ["taskSpec.containerSpec.stopGracePeriod", "20s"],
    ["taskSpec.placement", { constraints: ["node.role==manager"] }],
    ["updateConfig", { ...rollout, order: "stop-first" }],
    ["labels", [{ label: "stack", value: "t" }]],
  ])("%s", (path, value) => {
    const change = changeOf(SERVICE, state, withPath(path, value));
    expect(change.op).toBe("update");
    expect((change as { fields: string[] }).fields.every((f) => f.startsWith(path))).toBe(true);
  });
});

describe("docker_service: what counts as a change", () => {
  test("the inputs against the state they produced: no change", () => {
    expect(changeOf(SERVICE, state, base)).toEqual({ op: "same" });
  });
  test("sets compare without order (aliases, constraints, secrets, labels), lists with it", () => {
    const reordered = JSON.parse(JSON.stringify(base));
    reordered.taskSpec.networksAdvanceds[0].aliases.reverse();
    reordered.taskSpec.placement.constraints.reverse();
    reordered.taskSpec.containerSpec.secrets.reverse();
    expect(changeOf(SERVICE, state, reordered)).toEqual({ op: "same" });
    expect(changeOf(SERVICE, state, withPath("taskSpec.containerSpec.healthcheck.tests", ["true", "CMD"])).op).toBe("update");
  });
  test("Computed blocks the program leaves out keep the state's values", () => {
    const lean = JSON.parse(JSON.stringify(base));
    delete lean.taskSpec.containerSpec.healthcheck;
    delete lean.taskSpec.containerSpec.stopGracePeriod;
    delete lean.taskSpec.placement;
    delete lean.labels;
    delete lean.endpointSpec;
    delete lean.mode;
    expect(changeOf(SERVICE, state, lean)).toEqual({ op: "same" });
  });
  test("Defaults: an update_config of defaults equals the state's read-back; max_failure_ratio \"0\" is \"0.0\"", () => {
    const stateDefaults = { ...state, updateConfig: { parallelism: 1, delay: "0s", failureAction: "pause", monitor: "5s", maxFailureRatio: "0.0", order: "stop-first" } };
    expect(changeOf(SERVICE, stateDefaults, { ...base, updateConfig: {} })).toEqual({ op: "same" });
    expect(changeOf(SERVICE, state, withPath("updateConfig.maxFailureRatio", "0"))).toEqual({ op: "same" });
  });
  test("durations must be written as the read-back writes them (shortDur): \"60s\" against \"1m\" is a change", () => {
    expect(shortDur(60e9)).toBe("1m");
    expect(shortDur(90e9)).toBe("1m30s");
    expect(shortDur(3600e9)).toBe("1h");
    expect(shortDur(0)).toBe("0s");
    expect(shortDur(5e8)).toBe("500ms");
    const stateMinute = { ...state, updateConfig: { ...rollout, monitor: "1m" } };
    expect(changeOf(SERVICE, stateMinute, withPath("updateConfig.monitor", "60s"))).toEqual({ op: "update", fields: ["updateConfig.monitor"] });
  });
  test("platforms the client pinned on create (QueryRegistry) are not in the program: the next run updates", () => {
    const pinned = JSON.parse(JSON.stringify(state));
    pinned.taskSpec.placement.platforms = [{ architecture: "amd64", os: "linux" }];
    expect(changeOf(SERVICE, pinned, base)).toEqual({ op: "update", fields: ["taskSpec.placement.platforms"] });
  });
  test("unknowns: a whole unknown block changes by its own ForceNew only", () => {
    expect(changeOf(SERVICE, state, { ...base, taskSpec: UNKNOWN })).toEqual({ op: "update", fields: ["taskSpec"] });
    expect(changeOf(SERVICE, state, { ...base, mode: UNKNOWN })).toEqual({ op: "replace", fields: ["mode"] });
    expect(changeOf(SERVICE, state, withPath("taskSpec.networksAdvanceds", [{ id: UNKNOWN, aliases: ["fpm", "php"] }])).op).toBe("replace");
    expect(changeOf(SERVICE, state, withPath("taskSpec.containerSpec.image", UNKNOWN)).op).toBe("update");
  });
  test("an input the table does not know fails, at any depth", () => {
    expect(() => changeOf(SERVICE, state, withPath("taskSpec.containerSpec.gpus", "all"))).toThrow(/"taskSpec.containerSpec.gpus" is not in the provider schema table/);
  });
});

describe("docker_secret, docker_config: every field ForceNew", () => {
  test.each([
    ["docker:index/secret:Secret", "name"], ["docker:index/secret:Secret", "data"], ["docker:index/secret:Secret", "labels"],
    ["docker:index/serviceConfig:ServiceConfig", "name"], ["docker:index/serviceConfig:ServiceConfig", "data"], ["docker:index/serviceConfig:ServiceConfig", "labels"],
  ])("%s %s", (type, field) => {
    const s = { name: "n", data: "aGk=", labels: [{ label: "a", value: "b" }] };
    const value = field === "labels" ? [{ label: "a", value: "c" }] : "other";
    expect(changeOf(type, s, s)).toEqual({ op: "same" });
    expect(changeOf(type, s, { ...s, [field]: value })).toEqual({ op: "replace", fields: [field] });
  });
  test("network options compare as a map: an empty value counts, the driver's own options are a difference", () => {
    const NETWORK = "docker:index/network:Network";
    const inputs = { name: "n", driver: "overlay", attachable: true, options: { encrypted: "" } };
    const read = { ...inputs, ipamDriver: "default", options: { encrypted: "", "com.docker.network.driver.overlay.vxlanid_list": "4097" } };
    expect(changeOf(NETWORK, read, inputs)).toEqual({ op: "replace", fields: ["options"] });
    expect(changeOf(NETWORK, read, { ...inputs, options: undefined })).toEqual({ op: "same" });
    expect(changeOf(NETWORK, { ...read, options: {} }, inputs)).toEqual({ op: "replace", fields: ["options"] });
  });
});

describe("Check: the provider's validation and the stand-in's strictness", () => {
  test("converge_config conflicts with mode.0.global (ConflictsWith; validateConflictingAttributes)", () => {
    expect(() => checkService("Service \"g\"", { ...base, mode: { global: true } })).toThrow(/"converge_config": conflicts with mode.0.global/);
    expect(() => checkService("Service \"g\"", { ...base, mode: { global: false, replicated: { replicas: 1 } } })).toThrow(/conflicts with mode.0.replicated/);
    expect(() => checkService("Service \"g\"", { ...base, mode: { global: true }, convergeConfig: undefined })).not.toThrow();
  });
  test("unknown values (a preview) are not validated", () => {
    expect(() => checkService("S", { ...base, taskSpec: UNKNOWN })).not.toThrow();
    expect(() => checkService("S", withPath("updateConfig", UNKNOWN))).not.toThrow();
    expect(() => checkService("S", withPath("updateConfig.order", UNKNOWN))).not.toThrow();
    expect(() => checkService("S", { ...base, mode: { global: UNKNOWN } })).not.toThrow();
    expect(() => checkService("S", withPath("taskSpec.containerSpec.mounts", [UNKNOWN]))).not.toThrow();
  });
  test("inputs the mocks do not implement are refused, nested ones included", () => {
    expect(() => checkService("S", withPath("taskSpec.containerSpec.mounts", [{ target: "/x", type: "bind", source: "/tmp" }]))).toThrow(/only "volume"/);
    expect(() => checkService("S", withPath("taskSpec.containerSpec.privileges", {}))).toThrow(/input "privileges" is not supported/);
    expect(() => checkService("S", withPath("updateConfig.order", "sideways"))).toThrow(/'sideways' doesn't match the pattern/);
    expect(() => checkService("S", withPath("updateConfig.monitor", "5 s"))).toThrow(/'5 s' is not a valid duration/);
  });
});

describe("createServiceSpec: what the provider sends", () => {
  test("parts it always sends (ResourceData holds every field at its zero value)", () => {
    const lean = { name: "w", taskSpec: { containerSpec: { image: "i:1" } } };
    const body = serviceSpecBody("w", plannedFields(SERVICE_SCHEMA, {}, lean), "run1");
    expect(body.TaskTemplate).toEqual({
      ContainerSpec: { Image: "i:1", Labels: { "e2e.run": "run1" }, Init: false, StopGracePeriod: 0, Healthcheck: {}, DNSConfig: {}, Isolation: "default" },
      Resources: {},
      RestartPolicy: {},
      Placement: {},
      ForceUpdate: 0,
    });
    expect(body.EndpointSpec).toEqual({});
    expect(body.Mode).toEqual({});
    expect(body.UpdateConfig).toBeUndefined();
  });
  test("a given restart policy sends Delay, MaxAttempts and Window even when left out; rollout fields are in ns", () => {
    const body = serviceSpecBody("w", plannedFields(SERVICE_SCHEMA, {}, { ...base, taskSpec: { ...base.taskSpec, restartPolicy: { condition: "any" } } }), "r");
    expect(body.TaskTemplate.RestartPolicy).toEqual({ Condition: "any", Delay: 0, MaxAttempts: 0, Window: 0 });
    expect(body.UpdateConfig).toEqual({ Parallelism: 1, FailureAction: "rollback", Monitor: 5e9, MaxFailureRatio: 0, Order: "start-first" });
    expect(body.TaskTemplate.ContainerSpec.Secrets[0]).toEqual({ File: { Name: "env", UID: "0", GID: "0", Mode: 0o444 }, SecretID: "sec1", SecretName: "env" });
    expect(body.TaskTemplate.Networks).toEqual([{ Target: NET, Aliases: ["fpm", "php"] }]);
  });
  test("on an update, Computed fields the program left out are sent as the state has them", () => {
    const plan = plannedFields(SERVICE_SCHEMA, { ...state, taskSpec: { ...state.taskSpec, restartPolicy: { condition: "any", delay: "5s", maxAttempts: 0, window: "0s" } } }, base);
    expect(serviceSpecBody("web", plan, "r").TaskTemplate.RestartPolicy).toEqual({ Condition: "any", Delay: 5e9, MaxAttempts: 0, Window: 0 });
  });
});

describe("the read-back (flatten*) of a real ServiceInspect", () => {
  // GET /services/<id> from dockerd 20.10 for a service created with such a spec.
  const inspect = {
    ID: "svc1",
    Spec: {
      Name: "exp-svc",
      Labels: { "e2e.run": "r", stack: "s" },
      TaskTemplate: {
        ContainerSpec: {
          Image: "stand-in/debian:bookworm", Labels: { "e2e.run": "r" }, Command: ["perl"], Env: ["A=1=2"], Init: false, StopGracePeriod: 0, Healthcheck: {},
          Mounts: [{ Type: "volume", Source: "v", Target: "/data", VolumeOptions: { Labels: { "e2e.run": "r" } } }],
          Secrets: [{ File: { Name: "s.txt", UID: "0", GID: "0", Mode: 292 }, SecretID: "sid", SecretName: "exp-sec" }],
          Isolation: "default",
        },
        Resources: { Limits: { NanoCPUs: 500000000, MemoryBytes: 67108864 } },
        RestartPolicy: { Condition: "any", Delay: 5000000000, MaxAttempts: 0, Window: 0 },
        Placement: { Constraints: ["node.role==worker"] },
        Networks: [{ Target: "netid", Aliases: ["web"] }],
        ForceUpdate: 0,
        Runtime: "container",
      },
      Mode: { Replicated: { Replicas: 2 } },
      UpdateConfig: { Parallelism: 1, FailureAction: "rollback", Monitor: 2000000000, MaxFailureRatio: 0, Order: "start-first" },
      EndpointSpec: { Mode: "dnsrr", Ports: [{ Protocol: "tcp", TargetPort: 8080, PublishedPort: 18080, PublishMode: "host" }] },
    },
    Endpoint: { Spec: { Mode: "dnsrr" }, Ports: [{ Protocol: "tcp", TargetPort: 8080, PublishedPort: 18080, PublishMode: "host" }] },
  };
  const planned = { name: "exp-svc", convergeConfig: { delay: "1s", timeout: "3m" }, taskSpec: { containerSpec: { mounts: [{ target: "/data", source: "v", type: "volume" }] } } };
  test("durations in shortDur form, env as a map, the run label and the stand-in's own VolumeOptions taken out", () => {
    const { state: s } = serviceReadBack(inspect, planned) as { state: any };
    expect(s.labels).toEqual([{ label: "stack", value: "s" }]);
    expect(s.convergeConfig).toEqual(planned.convergeConfig); // not read
    expect(s.taskSpec.containerSpec).toEqual({
      image: "stand-in/debian:bookworm", commands: ["perl"], env: { A: "1=2" }, init: false, stopGracePeriod: "0s",
      healthcheck: { interval: "0s", timeout: "0s", startPeriod: "0s", retries: 0 }, isolation: "default",
      mounts: [{ target: "/data", source: "v", type: "volume", readOnly: false }],
      secrets: [{ secretId: "sid", secretName: "exp-sec", fileName: "s.txt", fileUid: "0", fileGid: "0", fileMode: 292 }],
    });
    expect(s.taskSpec.restartPolicy).toEqual({ condition: "any", delay: "5s", maxAttempts: 0, window: "0s" });
    expect(s.taskSpec.networksAdvanceds).toEqual([{ id: "netid", aliases: ["web"], driverOpts: [] }]);
    expect(s.mode).toEqual({ replicated: { replicas: 2 }, global: false });
    expect(s.updateConfig).toEqual({ parallelism: 1, delay: "0s", failureAction: "rollback", monitor: "2s", maxFailureRatio: "0.0", order: "start-first" });
    expect(s.endpointSpec).toEqual({ mode: "dnsrr", ports: [{ name: "", protocol: "tcp", targetPort: 8080, publishedPort: 18080, publishMode: "host" }] });
  });
  test("pending until the daemon shows an endpoint mode", () => {
    expect(serviceReadBack({ ...inspect, Endpoint: {}, Spec: { ...inspect.Spec, EndpointSpec: {} } }, planned)).toEqual({ pending: true });
  });
});

describe("converge: replicatedConsoleLogUpdater.update", () => {
  const svc = { Spec: { Mode: { Replicated: { Replicas: 2 } } } };
  const task = (slot: number, desired: string, state: string, node = "n1") => ({ Slot: slot, DesiredState: desired, Status: { State: state }, NodeID: node });
  const active = new Set(["n1", "n2"]);
  test("all replicas running (per slot, the task with the lowest desired, then observed, state)", () => {
    expect(replicasRunning(svc, [task(1, "running", "running"), task(2, "running", "running", "n2")], active)).toBe(true);
    expect(replicasRunning(svc, [task(1, "running", "running"), task(2, "running", "starting")], active)).toBe(false);
    // start-first: a second task in slot 2, still starting, wins the slot (lower observed state)
    expect(replicasRunning(svc, [task(1, "running", "running"), task(2, "running", "running"), task(2, "running", "starting")], active)).toBe(false);
    expect(replicasRunning(svc, [task(1, "running", "running"), task(2, "running", "running", "down-node")], active)).toBe(false);
  });
  test("a global service has no replica count", () => {
    expect(() => replicasRunning({ Spec: { Mode: { Global: {} } } }, [], active)).toThrow(/^no replica count$/);
  });
});

describe("helper/retry StateChangeConf", () => {
  test("errors as error.go writes them", async () => {
    expect(new TimeoutError(["running", "complete"], "creating", 30_000).message).toBe(
      "timeout while waiting for state to become 'running, complete' (last state: 'creating', timeout: 30s)",
    );
    expect(goDurationString(180_000)).toBe("3m0s");
    const refresh = async () => ({ result: "x", state: "weird" });
    await expect(waitForState({ pending: ["a"], target: ["b"], refresh, timeoutMs: 1000, minTimeoutMs: 10, delayMs: 0 })).rejects.toThrow(UnexpectedStateError);
  });
  test("refreshes until the target, within the timeout", async () => {
    let n = 0;
    const refresh = async () => ({ result: "x", state: ++n >= 3 ? "done" : "wait" });
    await expect(waitForState({ pending: ["wait"], target: ["done"], refresh, timeoutMs: 2000, minTimeoutMs: 10, delayMs: 0 })).resolves.toBe("x");
    const never = async () => ({ result: "x", state: "wait" });
    await expect(waitForState({ pending: ["wait"], target: ["done"], refresh: never, timeoutMs: 300, minTimeoutMs: 50, delayMs: 0 })).rejects.toThrow(/last state: 'wait'/);
  });
});

describe("the Docker client's image references (service_create.go)", () => {
  test.each([
    ["stand-in/debian", "stand-in/debian:latest"],
    ["stand-in/debian:bookworm", "stand-in/debian:bookworm"],
    ["docker.io/library/nginx", "nginx:latest"],
    ["127.0.0.1:5000/ns/app@sha256:" + "a".repeat(64), "127.0.0.1:5000/ns/app@sha256:" + "a".repeat(64)],
    ["Not/Valid", ""],
  ])("imageWithTagString(%s)", (image, tagged) => {
    expect(imageWithTagString(image)).toBe(tagged);
  });
  test("imageWithDigestString pins a tag, keeps a digest", () => {
    const d = "sha256:" + "b".repeat(64);
    expect(imageWithDigestString("127.0.0.1:5000/ns/app:1", d)).toBe(`127.0.0.1:5000/ns/app:1@${d}`);
    expect(imageWithDigestString(`reg/app@sha256:${"a".repeat(64)}`, d)).toBe(`reg/app@sha256:${"a".repeat(64)}`);
  });
});

describe("client.ServiceCreate with QueryRegistry (the provider's create)", () => {
  const digest = "sha256:" + "c".repeat(64);
  // GET /distribution/<image>/json of dockerd 20.10 for an image pushed to a local registry.
  const inspect = { Descriptor: { mediaType: "application/vnd.docker.distribution.manifest.v2+json", digest, size: 528 }, Platforms: [{ architecture: "amd64", os: "linux" }] };
  const spec = (image: string) => ({ Name: "s", TaskTemplate: { ContainerSpec: { Image: image }, Placement: {} } });
  beforeEach(() => engineMock.mockReset());
  test("a registry answer pins a tag to its digest and sets the manifest's platforms", async () => {
    engineMock.mockImplementation(async (method: string) => (method === "GET" ? inspect : { ID: "svc1" }) as any);
    expect(await serviceCreate(spec("127.0.0.1:5000/ns/app:1"))).toBe("svc1");
    expect(engineMock.mock.calls[0]).toEqual(["GET", "/distribution/127.0.0.1:5000/ns/app:1/json", undefined, { headers: { "X-Registry-Auth": "e30=" } }]);
    const sent = engineMock.mock.calls[1][2] as any;
    expect(sent.TaskTemplate.ContainerSpec.Image).toBe(`127.0.0.1:5000/ns/app:1@${digest}`);
    expect(sent.TaskTemplate.Placement).toEqual({ Platforms: [{ Architecture: "amd64", OS: "linux" }] });
  });
  test("no registry answer: the image stays as tagged, no platforms", async () => {
    engineMock.mockImplementation(async (method: string) => {
      if (method === "GET") throw new Error("no such host");
      return { ID: "svc2" } as any;
    });
    await serviceCreate(spec("stand-in/debian"));
    expect((engineMock.mock.calls[1][2] as any).TaskTemplate).toEqual({ ContainerSpec: { Image: "stand-in/debian:latest" }, Placement: {} });
  });
});
