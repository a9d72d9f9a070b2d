import * as fs from "fs";
import * as path from "path";
import type * as pulumiType from "@pulumi/pulumi";
import { parse } from "yaml";

export const ROOT = path.resolve(__dirname, "..");
export const NS = "php-backend";

export type StackConfig = Record<string, string>;

/** A stack file's config as the engine passes it to a program: every value a string. */
export function loadStackConfig(stack: string): StackConfig {
  const file = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(file.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

export interface ProgramOptions {
  readonly stack: string;
  readonly config: StackConfig;
  /** Secrets by bare key, as `pulumi config set --secret` would store them. */
  readonly secrets: Record<string, string>;
  readonly mocks: pulumiType.runtime.Mocks;
  /** Resolves an output, rejecting as soon as the mocks fail (a failed resource never settles). */
  readonly settle: <T>(output: pulumiType.Output<T>) => Promise<T>;
  /** Given the mock resource monitor right after it is installed (to observe registrations). */
  readonly onMonitor?: (monitor: unknown) => void;
  /** Run as `pulumi preview`: outputs may stay unknown, so they are not awaited (values undefined). */
  readonly preview?: boolean;
}

export type ProgramOutputs = Record<string, { value: unknown; secret: boolean }>;

/**
 * Runs the real program (index.ts) for a stack under the given mocks and waits until every
 * resource is registered. Modules load in isolation, so every run starts from a clean runtime.
 */
export async function runProgram(o: ProgramOptions): Promise<ProgramOutputs> {
  // An error thrown in an apply that feeds a resource reaches the SDK only as an unhandled
  // rejection. The language host fails the program on it (sdk/nodejs/cmd/run/run.ts,
  // uncaughtHandler on "unhandledRejection"), and the engine then stops the update. The harness
  // plays the host: it owns the process's rejections while the program runs.
  const runnerListeners = hostProcess.listeners("unhandledRejection");
  hostProcess.removeAllListeners("unhandledRejection");
  const errors: unknown[] = [];
  let fail!: (e: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  hostProcess.on("unhandledRejection", (reason: unknown) => {
    errors.push(reason);
    fail(new ProgramFailed(errors));
  });
  try {
    const outputs = await runIsolated({ ...o, settle: (out) => Promise.race([o.settle(out), failed]) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (errors.length > 0) throw new ProgramFailed(errors);
    return outputs;
  } catch (e) {
    // The failed program's other promises reject right after the first: the host takes them too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    throw e;
  } finally {
    hostProcess.removeAllListeners("unhandledRejection");
    for (const listener of runnerListeners) hostProcess.on("unhandledRejection", listener as NodeJS.UnhandledRejectionListener);
  }
}

/** The program failed: the engine stops the update there, before any delete. */
export class ProgramFailed extends Error {
  constructor(readonly errors: readonly unknown[]) {
    super(`the program failed:\n${errors.map((e) => (e instanceof Error ? e.message : String(e))).join("\n")}`);
    this.name = "ProgramFailed";
  }
}

/**
 * The Node process itself. Jest hands test code a copy of `process` whose listeners the
 * runtime never calls; the main context's global is the real one.
 */
const hostProcess: NodeJS.Process = require("vm").runInThisContext("process");

async function runIsolated(o: ProgramOptions): Promise<ProgramOutputs> {
  const all: Record<string, string> = { ...o.config };
  for (const [k, v] of Object.entries(o.secrets)) all[`${NS}:${k}`] = v;
  let program: Record<string, unknown> = {};
  let pulumi!: typeof pulumiType;
  let failure: unknown;
  jest.isolateModules(() => {
    pulumi = require("@pulumi/pulumi");
    pulumi.runtime.setAllConfig(all, Object.keys(o.secrets).map((k) => `${NS}:${k}`));
    pulumi.runtime.setMocks(o.mocks, NS, o.stack, o.preview ?? false);
    o.onMonitor?.(pulumi.runtime.getMonitor());
    try {
      program = require(path.join(ROOT, "index.ts"));
    } catch (e) {
      failure = e;
    }
  });
  if (failure) throw failure;
  const outputs: ProgramOutputs = {};
  for (const [key, value] of Object.entries(program)) {
    const out = pulumi.output(value as pulumiType.Input<unknown>);
    outputs[key] = o.preview ? { value: undefined, secret: false } : { value: await o.settle(out), secret: await pulumi.isSecret(out) };
  }
  await o.settle(pulumi.output(pulumi.runtime.disconnect()));
  return outputs;
}
