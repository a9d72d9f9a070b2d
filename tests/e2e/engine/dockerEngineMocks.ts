/**
 * Pulumi mocks that stand in for the engine + providers by applying every resource to the real
 * Docker engine, with exactly the inputs the program gave it (see README.md for what is mapped).
 *
 *   const mocks = new DockerEngineMocks();
 *   pulumi.runtime.setMocks(mocks, "proj", "stack", false);
 *   const c = new docker.Container("web", {...});          // the real program
 *   const id = await mocks.value(c.id);                     // created on the engine
 *   await mocks.teardown();                                 // and removed again
 */
import * as pulumi from "@pulumi/pulumi";
import { randomBytes } from "node:crypto";
import { createContainer } from "./container";
import { Created, EngineContext } from "./context";
import { createImage, createRemoteImage } from "./images";
import { isSecretWrapper, secret, unwrapSecrets } from "./inputs";
import { Ledger, sweepRun } from "./ledger";
import { createNetwork, createVolume } from "./networkVolume";
import { createRandomBytes, createRandomId, createRandomString } from "./random";
import { StackState } from "./stackState";

export { RUN_LABEL, sweepRun, leftovers } from "./ledger";

export interface DockerEngineMocksOptions {
  /** Value of the `e2e.run` label on everything created (default: `e2e-<random hex>`). */
  runId?: string;
  /** Base for relative paths in inputs, i.e. the program's directory (default: process.cwd()). */
  cwd?: string;
  /** Progress messages (builds, pulls, pushes); default: silent. */
  log?: (message: string) => void;
}

export interface CreatedResource {
  type: string;
  name: string;
  id: string;
}

/** The docker provider's only supported configuration here: the local engine. */
function dockerProvider(name: string, inputs: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(inputs)) {
    if (key === "version" || value === undefined || value === null) continue;
    if (key === "host" && value === "unix:///var/run/docker.sock") continue;
    throw new Error(`docker Provider "${name}": input "${key}" is not supported by the engine mocks`);
  }
}

export class DockerEngineMocks implements pulumi.runtime.Mocks {
  readonly runId: string;
  readonly ledger = new Ledger();
  /** Every resource newResource completed, in completion order. */
  readonly created: CreatedResource[] = [];
  /** newResource calls starting and ending, in order (to observe the SDK's ordering). */
  readonly events: { event: "start" | "done" | "fail"; type: string; name: string }[] = [];
  /** Every newResource failure (the SDK reports them only as unhandled rejections). */
  readonly failures: Error[] = [];
  /** What is deployed, so a second program run is an update of the first (see stackState.ts). */
  readonly stack = new StackState();
  private readonly ctx: EngineContext;
  private failed!: (e: Error) => void;
  private readonly firstFailure = new Promise<never>((_, reject) => (this.failed = reject));

  constructor(opts: DockerEngineMocksOptions = {}) {
    this.runId = opts.runId ?? `e2e-${randomBytes(4).toString("hex")}`;
    this.ctx = { runId: this.runId, cwd: opts.cwd ?? process.cwd(), ledger: this.ledger, log: opts.log ?? (() => {}) };
    this.firstFailure.catch(() => {}); // observed through value()
  }

  async newResource(args: pulumi.runtime.MockResourceArgs): Promise<pulumi.runtime.MockResourceResult> {
    this.events.push({ event: "start", type: args.type, name: args.name });
    try {
      const unchanged = await this.stack.before(args.type, args.name, args.inputs);
      if (unchanged) {
        this.events.push({ event: "done", type: args.type, name: args.name });
        return { id: unchanged.id, state: unchanged.state };
      }
      const inputs = unwrapSecrets(args.inputs);
      const { id, outputs } = await this.create(args, inputs);
      this.created.push({ type: args.type, name: args.name, id });
      this.events.push({ event: "done", type: args.type, name: args.name });
      // Raw inputs keep their secret wrappers, so outputs of secret inputs stay secret.
      const state = { ...args.inputs };
      for (const [k, v] of Object.entries(outputs)) {
        if (v !== undefined) state[k] = isSecretWrapper(args.inputs[k]) && !isSecretWrapper(v) ? secret(v) : v;
      }
      this.stack.record({ type: args.type, name: args.name, rawInputs: args.inputs, inputs, id, state });
      return { id, state };
    } catch (err) {
      this.events.push({ event: "fail", type: args.type, name: args.name });
      const e = new Error(`engine mocks: ${args.type} "${args.name}": ${(err as Error).message}`);
      this.failures.push(e);
      this.failed(e);
      throw e;
    }
  }

  /** `i`: the plain inputs; each implementation reads them as its resource's Args type. */
  private async create(args: pulumi.runtime.MockResourceArgs, i: any): Promise<Created> {
    if (args.id) throw new Error(`reading or importing an existing resource (id ${args.id}) is not supported`);
    if (args.type.startsWith("pulumi:providers:")) {
      if (args.type === "pulumi:providers:docker") dockerProvider(args.name, i);
      return { id: `${args.name}-provider`, outputs: {} };
    }
    if (!args.custom) return { id: "", outputs: {} }; // a component: nothing to create
    switch (args.type) {
      case "docker:index/container:Container":
        return createContainer(this.ctx, args.name, i);
      case "docker:index/network:Network":
        return createNetwork(this.ctx, args.name, i);
      case "docker:index/volume:Volume":
        return createVolume(this.ctx, args.name, i);
      case "docker:index/image:Image":
        return createImage(this.ctx, args.name, i);
      case "docker:index/remoteImage:RemoteImage":
        return createRemoteImage(this.ctx, args.name, i);
      case "random:index/randomPassword:RandomPassword":
        return createRandomString(args.name, i, true);
      case "random:index/randomString:RandomString":
        return createRandomString(args.name, i, false);
      case "random:index/randomBytes:RandomBytes":
        return createRandomBytes(args.name, i);
      case "random:index/randomId:RandomId":
        return createRandomId(args.name, i);
      default:
        throw new Error(`resource type ${args.type} is not implemented by the engine mocks`);
    }
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    throw new Error(`engine mocks: function ${args.token} is not implemented`);
  }

  /**
   * The value of an output once its resource exists on the engine. Rejects as soon as any
   * newResource fails (an output that depends on a failed resource would otherwise never settle).
   */
  value<T>(output: pulumi.Output<T>): Promise<T> {
    return Promise.race([new Promise<T>((resolve) => output.apply(resolve)), this.firstFailure]);
  }

  /** Removes everything created (see Ledger.teardown), then anything else with this run's label. */
  async teardown(): Promise<void> {
    const errors: string[] = [];
    await this.ledger.teardown().catch((e: Error) => errors.push(e.message));
    await sweepRun(this.runId).catch((e: Error) => errors.push(e.message));
    if (errors.length > 0) throw new Error(errors.join("\n"));
  }
}
