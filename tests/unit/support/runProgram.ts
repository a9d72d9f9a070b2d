import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RecordedResource, RecordingMocks } from "./recordingMocks";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
const NS = "php-backend";

export type StackConfig = Record<string, string>;

/** A stack file's config as the engine passes it to a program: every value a string. */
export function loadStackConfig(stack: string): StackConfig {
  const file = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(file.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/** Secrets a user would set with `pulumi config set --secret`, by stack. */
export const TEST_SECRETS: Record<string, Record<string, string>> = {
  local: {},
  dev: { registryPassword: "dev-registry-pw-7f3a", dbPassword: "dev-db-pw-91c2", appKey: "base64:ZGV2LWFwcC1rZXktZGV2LWFwcC1rZXktZGV2LWFwcC0=" },
  prod: { registryPassword: "prod-registry-pw-4b8e", dbPassword: "prod-db-pw-2d6f", redisPassword: "prod-redis-pw-c0ffee" },
};

export interface ProgramRun {
  readonly mocks: RecordingMocks;
  /** The program's stack outputs, resolved, with secret outputs still marked. */
  readonly outputs: Record<string, { value: unknown; secret: boolean }>;
  readonly ofType: (type: string) => RecordedResource[];
}

/**
 * Runs the real program (index.ts) for `stack` with the given config under fresh mocks.
 * Modules are loaded in isolation so every run starts from a clean Pulumi runtime.
 */
export async function runProgram(stack: string, config: StackConfig, secrets: Record<string, string> = {}): Promise<ProgramRun> {
  const mocks = new RecordingMocks();
  const all: Record<string, string> = { ...config };
  for (const [k, v] of Object.entries(secrets)) all[`${NS}:${k}`] = v;
  let program: Record<string, unknown> = {};
  let pulumi!: typeof import("@pulumi/pulumi");
  let failure: unknown;
  jest.isolateModules(() => {
    pulumi = require("@pulumi/pulumi");
    pulumi.runtime.setAllConfig(all, Object.keys(secrets).map((k) => `${NS}:${k}`));
    pulumi.runtime.setMocks(mocks, NS, stack, false);
    try {
      program = require(path.join(ROOT, "index.ts"));
    } catch (e) {
      failure = e;
    }
  });
  if (failure) throw failure;
  const outputs: ProgramRun["outputs"] = {};
  for (const [key, value] of Object.entries(program)) {
    const out = pulumi.output(value as any);
    const [resolved, secret] = await Promise.race([
      Promise.all([new Promise((resolve) => out.apply(resolve)), pulumi.isSecret(out)]),
      mocks.refused,
    ]);
    outputs[key] = { value: resolved, secret };
  }
  await Promise.race([pulumi.runtime.disconnect(), mocks.refused]);
  return { mocks, outputs, ofType: (type) => mocks.ofType(type) };
}

export async function runStack(stack: string, overrides: StackConfig = {}): Promise<ProgramRun> {
  return runProgram(stack, { ...loadStackConfig(stack), ...overrides }, TEST_SECRETS[stack]);
}
