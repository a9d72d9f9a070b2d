import { loadStackConfig, ProgramOutputs, runProgram, StackConfig } from "../../../harness/program";
import { Registrations } from "../../../harness/registrations";
import { RecordedResource, RecordingMocks } from "./recordingMocks";

export { ROOT } from "../../../harness/program";

/** Secrets a user would set with `pulumi config set --secret`, by stack. */
export const TEST_SECRETS: Record<string, Record<string, string>> = {
  local: {},
  "local-swarm": {},
  dev: { registryPassword: "dev-registry-pw-7f3a", dbPassword: "dev-db-pw-91c2", appKey: "base64:ZGV2LWFwcC1rZXktZGV2LWFwcC1rZXktZGV2LWFwcC0=" },
  prod: { registryPassword: "prod-registry-pw-4b8e", dbPassword: "prod-db-pw-2d6f", redisPassword: "prod-redis-pw-c0ffee" },
};

export interface ProgramRun {
  readonly mocks: RecordingMocks;
  /** Resource options as the SDK sent them (replacement order, dependencies). */
  readonly registrations: Registrations;
  readonly outputs: ProgramOutputs;
  readonly ofType: (type: string) => RecordedResource[];
}

/** Runs the program with a stack file's config (plus overrides) and the stack's test secrets (plus more). */
export async function runStack(stack: string, overrides: StackConfig = {}, secrets: Record<string, string> = {}): Promise<ProgramRun> {
  const mocks = new RecordingMocks();
  const registrations = new Registrations();
  const outputs = await runProgram({
    stack,
    config: { ...loadStackConfig(stack), ...overrides },
    secrets: { ...TEST_SECRETS[stack], ...secrets },
    mocks,
    settle: (out) => Promise.race([new Promise<any>((resolve) => out.apply(resolve)), mocks.refused]),
    onMonitor: (monitor) => registrations.watch(monitor),
  });
  return { mocks, registrations, outputs, ofType: (type) => mocks.ofType(type) };
}
