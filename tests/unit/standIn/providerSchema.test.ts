/**
 * The stand-in's diff rules (harness/engine/providerSchema.ts), each against the provider
 * source it follows: terraform-provider-docker v4.5.0 resource schemas, pulumi-docker's Image Diff.
 */
import { changeOf, UNKNOWN } from "../../../harness/engine/providerSchema";

const CONTAINER = "docker:index/container:Container";
const base = {
  name: "app-1", image: "reg/app@sha256:aa", envs: ["A=1", "B=2"], labels: [{ label: "role", value: "app" }],
  command: ["php-fpm"], restart: "unless-stopped", memory: 256, memorySwap: 256, cpus: "1.0",
  healthcheck: { tests: ["CMD", "true"], interval: "5s", timeout: "3s", startPeriod: "10s", retries: 3 },
  networksAdvanced: [{ name: "net", aliases: ["app"] }], wait: true, waitTimeout: 120,
};
/** The provider's state right after creating `base`: defaults filled in, some fields read back. */
const state = {
  ...base, start: true, mustRun: true, attach: false, logs: false, rm: false, networkMode: "bridge", removeVolumes: true,
  hostname: "0123abcd", workingDir: "", stopSignal: "SIGQUIT", containerReadRefreshTimeoutMilliseconds: 15000,
  healthcheck: { ...base.healthcheck, startInterval: "0s" },
};

describe("docker_container: resource_docker_container.go Schema, ForceNew fields replace", () => {
  test.each([
    ["image", "reg/app@sha256:bb"],
    ["envs", ["A=1", "B=3"]],
    ["labels", [{ label: "role", value: "worker" }]],
    ["command", ["php", "artisan"]],
    ["entrypoints", ["/bin/sh"]],
    ["uploads", [{ file: "/etc/x", content: "y" }]],
    ["networksAdvanced", [{ name: "net", aliases: ["other"] }]],
    ["ports", [{ internal: 80, external: 8080 }]],
    ["volumes", [{ volumeName: "v", containerPath: "/data" }]],
    ["logOpts", { "max-size": "10m" }],
    ["cpus", "0.5"],
    ["stopSignal", "SIGTERM"],
    ["workingDir", "/var/www/app"],
  ])("%s", (field, value) => {
    expect(changeOf(CONTAINER, state, { ...base, [field]: value })).toEqual({ op: "replace", fields: [field] });
  });
});

describe("docker_container: fields without ForceNew update in place", () => {
  test.each([
    ["restart", "always"],
    ["memory", 512],
    ["healthcheck", { ...base.healthcheck, interval: "10s" }],
    ["wait", false],
    ["waitTimeout", 60],
    ["destroyGraceSeconds", 30],
    ["mustRun", false],
  ])("%s", (field, value) => {
    expect(changeOf(CONTAINER, state, { ...base, [field]: value })).toEqual({ op: "update", fields: [field] });
  });
});

describe("what counts as a change (helper/schema schemaMap.Diff)", () => {
  test("the same inputs against the state they produced: no change", () => {
    expect(changeOf(CONTAINER, state, base)).toEqual({ op: "same" });
  });
  test("a set (env, labels, networks_advanced) in another order is no change; a list (command) is", () => {
    expect(changeOf(CONTAINER, state, { ...base, envs: ["B=2", "A=1"] })).toEqual({ op: "same" });
    expect(changeOf(CONTAINER, state, { ...base, command: ["php-fpm", "-F"] }).op).toBe("replace");
  });
  test("a Computed field the program leaves out keeps the state's value; a non-Computed one is set to nothing", () => {
    expect(changeOf(CONTAINER, { ...state, hostname: "abc", stopSignal: "SIGQUIT" }, base)).toEqual({ op: "same" });
    expect(changeOf(CONTAINER, { ...state, workingDir: "/data" }, base)).toEqual({ op: "replace", fields: ["workingDir"] });
    expect(changeOf(CONTAINER, { ...state, memorySwap: 512 }, { ...base, memorySwap: undefined })).toEqual({ op: "update", fields: ["memorySwap"] });
  });
  test("a field left out is planned at its schema Default (restart \"no\", network_mode \"bridge\")", () => {
    const { restart, ...noRestart } = base;
    expect(restart).toBeDefined();
    expect(changeOf(CONTAINER, { ...state, restart: "no" }, noRestart)).toEqual({ op: "same" });
    expect(changeOf(CONTAINER, { ...state, networkMode: "default" }, base)).toEqual({ op: "replace", fields: ["networkMode"] });
  });
  test("an unknown input (a preview) is a change of that field", () => {
    expect(changeOf(CONTAINER, state, { ...base, image: UNKNOWN })).toEqual({ op: "replace", fields: ["image"] });
    expect(changeOf(CONTAINER, state, { ...base, memory: UNKNOWN })).toEqual({ op: "update", fields: ["memory"] });
  });
  test("an input the table does not know fails instead of being ignored", () => {
    expect(() => changeOf(CONTAINER, state, { ...base, gpuz: "all" })).toThrow(/"gpuz" is not in the provider schema table/);
  });
});

describe("docker.Image: pulumi-docker provider.go Diff, every change an update", () => {
  const IMAGE = "docker:index/image:Image";
  const image = {
    imageName: "reg/app:v1-abc", build: { context: "app", dockerfile: "Dockerfile", contextDigest: "d1" },
    registry: { server: "reg", username: "u", password: "p" }, buildOnPreview: false,
  };
  test("a new context digest or image name is an update, never a replacement", () => {
    expect(changeOf(IMAGE, image, { ...image, build: { ...image.build, contextDigest: "d2" } })).toEqual({ op: "update", fields: ["build"] });
    expect(changeOf(IMAGE, image, { ...image, imageName: "reg/app:v2-abc" })).toEqual({ op: "update", fields: ["imageName"] });
  });
  test("registry credentials are not part of the diff; computed outputs are not inputs", () => {
    expect(changeOf(IMAGE, { ...image, repoDigest: "reg/app@sha256:1" }, { ...image, registry: { server: "reg", username: "v", password: "q" } })).toEqual({ op: "same" });
  });
});

describe("networks, volumes, remote images and random values", () => {
  test("docker_network and docker_volume: every field ForceNew; Computed ones may be left out", () => {
    expect(changeOf("docker:index/network:Network", { name: "n", driver: "bridge", ipamDriver: "default" }, { name: "n" })).toEqual({ op: "same" });
    expect(changeOf("docker:index/network:Network", { name: "n", ipamDriver: "default" }, { name: "m" })).toEqual({ op: "replace", fields: ["name"] });
    expect(changeOf("docker:index/volume:Volume", { name: "v", driver: "local", mountpoint: "/x" }, { name: "v" })).toEqual({ op: "same" });
  });
  test("docker_remote_image: name replaces, keep_locally updates", () => {
    const ri = "docker:index/remoteImage:RemoteImage";
    expect(changeOf(ri, { name: "redis:7", keepLocally: true, imageId: "sha" }, { name: "redis:8", keepLocally: true }).op).toBe("replace");
    expect(changeOf(ri, { name: "redis:7", keepLocally: true, imageId: "sha" }, { name: "redis:7", keepLocally: false }).op).toBe("update");
  });
  test("random_password: any argument replaces; the result is an output", () => {
    const rp = "random:index/randomPassword:RandomPassword";
    expect(changeOf(rp, { length: 32, special: false, result: "x" }, { length: 32, special: false })).toEqual({ op: "same" });
    expect(changeOf(rp, { length: 32, result: "x" }, { length: 40 })).toEqual({ op: "replace", fields: ["length"] });
  });
  test("random: keepers and override_special, whose replacement is conditional, are refused", () => {
    const rp = "random:index/randomPassword:RandomPassword";
    expect(() => changeOf(rp, { length: 32, keepers: { a: "1" } }, { length: 32, keepers: { a: "2" } })).toThrow(/keepers is not modelled/);
  });
});
