/**
 * Bad configuration stops the real program before it declares anything: the settings are read
 * and checked in full first, the app directory included.
 */
import { loadStackConfig, NS, runProgram, StackConfig } from "../../harness/program";
import { Registrations } from "../../harness/registrations";
import { RecordingMocks } from "./support/recordingMocks";
import { TEST_SECRETS } from "./support/runProgram";

async function refusal(stack: string, config: StackConfig, secrets: Record<string, string>) {
  const mocks = new RecordingMocks();
  const registrations = new Registrations();
  let error: unknown;
  try {
    await runProgram({
      stack, config, secrets, mocks,
      settle: (out) => Promise.race([new Promise<any>((resolve) => out.apply(resolve)), mocks.refused]),
      onMonitor: (monitor) => registrations.watch(monitor),
    });
  } catch (e) {
    error = e;
  }
  return { error: error as Error | undefined, declared: [...mocks.resources.map((r) => r.name), ...registrations.all().map((r) => r.name)] };
}

test("a missing app directory is refused before any resource is declared", async () => {
  const { error, declared } = await refusal("local", { ...loadStackConfig("local"), [`${NS}:appDir`]: "no/such/app" }, {});
  expect(error?.name).toBe("ConfigError");
  expect(error?.message).toContain('php-backend:appDir: "no/such/app" is not a directory');
  expect(declared).toEqual([]);
});

test("a password stored in plain text is refused, and its value is not repeated", async () => {
  const { dbPassword, ...secrets } = TEST_SECRETS.dev;
  const { error, declared } = await refusal("dev", { ...loadStackConfig("dev"), [`${NS}:dbPassword`]: dbPassword }, secrets);
  expect(error?.message).toContain("php-backend:dbPassword: is a secret but is stored in plain text");
  expect(error?.message).toContain("fix: pulumi config set --secret dbPassword '<password>' --stack dev");
  expect(error?.message).not.toContain(dbPassword);
  expect(declared).toEqual([]);
});

test("a typo in a key name is refused with the key it probably meant", async () => {
  const { error, declared } = await refusal("prod", { ...loadStackConfig("prod"), [`${NS}:workerReplica`]: "4" }, TEST_SECRETS.prod);
  expect(error?.message).toContain("php-backend:workerReplica: is not a configuration key of this program: did you mean workerReplicas?");
  expect(declared).toEqual([]);
});

test("keys of other namespaces (providers) are not this program's to judge", async () => {
  const { error } = await refusal("local", { ...loadStackConfig("local"), "docker:host": "unix:///var/run/docker.sock", [`${NS}:fpmReplicas`]: "0" }, {});
  expect(error?.message).toMatch(/\(1 problem\)/);
});
