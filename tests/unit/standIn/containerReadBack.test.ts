/**
 * The state the stand-in stores after creating a container, following
 * resourceDockerContainerRead (terraform-provider-docker v4.5.0), and the diff the next run sees.
 */
import { containerReadBack, goDuration, nanoToDecimalString } from "../../../harness/engine/containerReadBack";
import { changeOf } from "../../../harness/engine/providerSchema";
import { providerCpus } from "../../../stacks/settings";

const MiB = 1024 * 1024;
const CONTAINER = "docker:index/container:Container";

/** GET /containers/{id}/json of a container created from `inputs` by the provider. */
function inspect(overrides: { HostConfig?: object; Config?: object; State?: object } = {}) {
  return {
    Name: "/app-1",
    Image: "sha256:0123",
    Platform: "linux",
    State: { Running: true, ExitCode: 0, ...overrides.State },
    Config: {
      Image: "reg/app@sha256:aa", Hostname: "0123abcd", Domainname: "", User: "", Cmd: ["php-fpm"], Entrypoint: null,
      WorkingDir: "/var/www/app", Tty: false, OpenStdin: false, StopSignal: "SIGQUIT",
      Healthcheck: { Test: ["CMD-SHELL", "true"], Interval: 5e9, Timeout: 3e9, StartPeriod: 10e9, Retries: 3 },
      ...overrides.Config,
    },
    HostConfig: {
      AutoRemove: false, ReadonlyRootfs: false, RestartPolicy: { Name: "unless-stopped", MaximumRetryCount: 0 },
      Memory: 256 * MiB, MemorySwap: 256 * MiB, MemoryReservation: 0, NanoCpus: 1e9, ShmSize: 64 * MiB, CpuShares: 0,
      CpusetCpus: "", LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
      NetworkMode: "bridge", Init: null, Runtime: "runc", IpcMode: "private", UsernsMode: "", Privileged: false,
      ...overrides.HostConfig,
    },
    NetworkSettings: { Bridge: "", Networks: {}, Ports: {} },
  };
}

const inputs = {
  name: "app-1", image: "reg/app@sha256:aa", command: ["php-fpm"], workingDir: "/var/www/app",
  restart: "unless-stopped", memory: 256, memorySwap: 256, cpus: "1.0",
  logDriver: "json-file", logOpts: { "max-size": "10m", "max-file": "3" },
  healthcheck: { tests: ["CMD-SHELL", "true"], interval: "5s", timeout: "3s", startPeriod: "10s", retries: 3 },
  envs: ["A=1"], labels: [{ label: "role", value: "app" }], wait: true, waitTimeout: 120,
};

test("helpers.go nanoInt64ToDecimalString: round values keep one decimal, others lose trailing zeros", () => {
  expect([1e9, 2e9, 5e8, 1.5e9, 2.5e8, 0].map(nanoToDecimalString)).toEqual(["1.0", "2.0", "0.5", "1.5", "0.25", "0"]);
});

test("the program states cpus in the provider's form, so the value read back is the value sent", () => {
  for (const given of ["1", "1.0", "0.5", "0.50", "2", "1.25", "0.125"]) {
    expect(providerCpus(given)).toBe(nanoToDecimalString(Math.round(Number(given) * 1e9)));
  }
  expect(providerCpus("1")).toBe("1.0");
});

test("Go time.Duration.String(), used for the health check read back", () => {
  expect([5e9, 90e9, 60e9, 5e8, 0, 3600e9, 1.5e9].map(goDuration)).toEqual(["5s", "1m30s", "1m0s", "500ms", "0s", "1h0m0s", "1.5s"]);
});

test("a container created from the inputs reads back to a state with no diff against them", () => {
  expect(changeOf(CONTAINER, containerReadBack(inspect(), inputs), inputs)).toEqual({ op: "same" });
});

test("env and labels are not read back: the state keeps the program's values", () => {
  const state = containerReadBack(inspect({ Config: { Env: ["PATH=/usr/bin", "A=1"], Labels: { extra: "x" } } }), inputs);
  expect(state.envs).toEqual(["A=1"]);
  expect(state.labels).toEqual(inputs.labels);
});

test("the daemon's swap default (2 x memory) read back is an update on every run unless memorySwap is stated", () => {
  const { memorySwap, ...noSwap } = inputs;
  expect(memorySwap).toBe(256);
  const state = containerReadBack(inspect({ HostConfig: { MemorySwap: 512 * MiB } }), noSwap);
  expect(state.memorySwap).toBe(512);
  expect(changeOf(CONTAINER, state, noSwap)).toEqual({ op: "update", fields: ["memorySwap"] });
});

test("an image WORKDIR the program leaves out is read back and replaces the container on every run", () => {
  const { workingDir, ...noWorkdir } = inputs;
  expect(workingDir).toBeDefined();
  expect(changeOf(CONTAINER, containerReadBack(inspect(), noWorkdir), noWorkdir)).toEqual({ op: "replace", fields: ["workingDir"] });
});

test("cpus given as \"1\" is read back as \"1.0\" and replaces the container on every run", () => {
  const state = containerReadBack(inspect(), { ...inputs, cpus: "1" });
  expect(state.cpus).toBe("1.0");
  expect(changeOf(CONTAINER, state, { ...inputs, cpus: "1" })).toEqual({ op: "replace", fields: ["cpus"] });
});

test("an exited container with mustRun true is stored with mustRun false: the next run updates it", () => {
  const state = containerReadBack(inspect({ State: { Running: false, ExitCode: 137 } }), inputs);
  expect([state.mustRun, state.exitCode]).toEqual([false, 137]);
  expect(changeOf(CONTAINER, state, inputs)).toEqual({ op: "update", fields: ["mustRun"] });
});

test("published ports are read back one entry per host binding", () => {
  const ports = [{ internal: 80, external: 8080, ip: "127.0.0.1" }];
  const withPorts = { ...inputs, ports };
  const one = inspect();
  one.NetworkSettings.Ports = { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "8080" }] } as any;
  expect(changeOf(CONTAINER, containerReadBack(one, withPorts), withPorts)).toEqual({ op: "same" });
  const two = inspect();
  two.NetworkSettings.Ports = { "80/tcp": [{ HostIp: "0.0.0.0", HostPort: "8080" }, { HostIp: "::", HostPort: "8080" }] } as any;
  expect(changeOf(CONTAINER, containerReadBack(two, { ...inputs, ports: [{ internal: 80, external: 8080 }] }), { ...inputs, ports: [{ internal: 80, external: 8080 }] }).op).toBe("replace");
});
