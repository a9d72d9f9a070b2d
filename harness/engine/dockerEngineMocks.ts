/**
 * Pulumi mocks that stand in for the engine + providers by applying every resource to the real
 * Docker engine, with exactly the inputs the program gave it (see README.md for what is mapped).
 * Runs of the program against the same mocks are updates (or previews) of one stack: the step
 * for each resource is decided like the Pulumi engine and the docker provider decide it
 * (engineRules.ts, providerSchema.ts).
 *
 *   const mocks = new DockerEngineMocks();
 *   mocks.install(pulumi, "proj", "stack");                 // setMocks + watch registrations
 *   mocks.begin("update");
 *   const c = new docker.Container("web", {...});          // the real program
 *   const id = await mocks.value(c.id);                     // created on the engine
 *   const plan = await mocks.finish();                      // deletes, and the run's steps
 *   await mocks.teardown();                                 // and removed again
 */
import type * as pulumiType from "@pulumi/pulumi";
import { randomBytes } from "node:crypto";
import { createContainer, updateContainer } from "./container";
import { Created, EngineContext, Push } from "./context";
import { previewState } from "./engineRules";
import { checkImage, createImage, createRemoteImage } from "./images";
import { autoname, isSecretWrapper, markUnknowns, secret, unwrapSecrets } from "./inputs";
import { Ledger, sweepRun } from "./ledger";
import { createNetwork, createVolume } from "./networkVolume";
import { COMPUTED_OUTPUTS, UNKNOWN } from "./providerSchema";
import { createRandomBytes, createRandomId, createRandomString } from "./random";
import { createService, updateService } from "./service";
import { checkService } from "./serviceSpec";
import { createSecret, createServiceConfig } from "./swarmObjects";
import { Deployed, PlannedStep, StackState } from "./stackState";

export { RUN_LABEL, sweepRun, leftovers } from "./ledger";

/**
 * An output's value, or its error: `apply` never calls back for an output whose computation
 * threw, so the SDK's own promise (OutputImpl.promise, sdk/nodejs/output.ts) is awaited instead.
 */
export function settled<T>(output: pulumiType.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}
export type { PlannedStep };

type Pulumi = typeof pulumiType;
type MockArgs = pulumiType.runtime.MockResourceArgs;
type MockResult = pulumiType.runtime.MockResourceResult;

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/image:Image";
const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
const SERVICE = "docker:index/service:Service";
const SECRET = "docker:index/secret:Secret";
const CONFIG = "docker:index/serviceConfig:ServiceConfig";
/** Resources whose `name` pulumi-docker autonames when it is left out (provider/resources.go SetAutonaming). */
const AUTONAMED = [CONTAINER, SERVICE, SECRET, CONFIG];

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

/** What the SDK gets back: the raw inputs (secret wrappers kept) with the outputs over them. */
function outputsOf(raw: Record<string, unknown>, outputs: Record<string, unknown>): Record<string, unknown> {
  const state = { ...raw };
  for (const [k, v] of Object.entries(outputs)) {
    if (v !== undefined) state[k] = isSecretWrapper(raw[k]) && !isSecretWrapper(v) ? secret(v) : v;
  }
  return state;
}

const pick = (o: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));

export class DockerEngineMocks implements pulumiType.runtime.Mocks {
  readonly runId: string;
  readonly ledger = new Ledger();
  /** Every resource created on the engine, in completion order. */
  readonly created: CreatedResource[] = [];
  /** newResource calls starting and ending, in order (to observe the SDK's ordering). */
  readonly events: { event: "start" | "done" | "fail"; type: string; name: string }[] = [];
  /** Every newResource failure (the SDK reports them only as unhandled rejections). */
  readonly failures: Error[] = [];
  /** Every image pushed to a registry, in order. */
  readonly pushes: Push[] = [];
  /** What is deployed, so a second program run is an update of the first (see stackState.ts). */
  readonly stack = new StackState();
  private readonly ctx: EngineContext;
  private failed!: (e: Error) => void;
  private readonly firstFailure = new Promise<never>((_, reject) => (this.failed = reject));

  constructor(opts: DockerEngineMocksOptions = {}) {
    this.runId = opts.runId ?? `e2e-${randomBytes(4).toString("hex")}`;
    this.ctx = { runId: this.runId, cwd: opts.cwd ?? process.cwd(), ledger: this.ledger, pushes: this.pushes, log: opts.log ?? (() => {}) };
    this.firstFailure.catch(() => {}); // observed through value()
  }

  /** setMocks for a program run, watching its registrations (the options Mocks never sees). */
  install(pulumi: Pulumi, project: string, stack: string, preview = false): void {
    pulumi.runtime.setMocks(this, project, stack, preview);
    this.stack.watch(pulumi.runtime.getMonitor());
  }

  /** Starts `pulumi up` ("update") or `pulumi preview`; the program's registrations follow. */
  begin(mode: "update" | "preview"): void {
    this.stack.begin(mode);
  }

  /** Ends the run: an update deletes what it replaced or no longer declares. Returns its steps. */
  finish(): Promise<PlannedStep[]> {
    return this.stack.finish();
  }

  async newResource(args: MockArgs): Promise<MockResult> {
    this.events.push({ event: "start", type: args.type, name: args.name });
    try {
      if (args.id) throw new Error(`reading or importing an existing resource (id ${args.id}) is not supported`);
      const raw = markUnknowns<Record<string, unknown>>(args.inputs);
      let result: MockResult;
      if (args.type.startsWith("pulumi:providers:")) {
        if (args.type === "pulumi:providers:docker") dockerProvider(args.name, unwrapSecrets(raw));
        result = { id: `${args.name}-provider`, state: {} };
      } else if (!args.custom) {
        result = { id: "", state: {} }; // a component: nothing to create
      } else {
        result = await this.apply(args.type, args.name, raw);
      }
      this.events.push({ event: "done", type: args.type, name: args.name });
      return result;
    } catch (err) {
      this.events.push({ event: "fail", type: args.type, name: args.name });
      const e = new Error(`engine mocks: ${args.type} "${args.name}": ${(err as Error).message}`);
      this.failures.push(e);
      this.failed(e);
      throw e;
    }
  }

  /** One custom resource: the engine's step for it, then the provider's create or update. */
  private async apply(type: string, name: string, raw: Record<string, unknown>): Promise<MockResult> {
    const prior = this.stack.prior(type, name);
    const inputs = this.check(type, name, unwrapSecrets(raw), prior);
    const step = await this.stack.step(type, name, inputs);
    if (step.op === "same") return { id: prior!.id, state: prior!.outputs };
    if (this.stack.preview) return this.previewResult(type, step.op, raw, prior);

    let applied: { id: string; inputs: Record<string, unknown>; state: Record<string, unknown>; outputs: Record<string, unknown> };
    if (step.op === "update") {
      applied = { id: prior!.id, inputs, ...(await this.update(prior!, inputs, raw, step.fields)) };
    } else {
      // A replacement is checked anew without the old inputs, so an autonamed resource gets a new
      // name (pulumi/pulumi step_generator.go, generateStepsFromDiff: prov.Check with News only on replace).
      const fresh = AUTONAMED.includes(type) && raw.name === undefined ? { ...inputs, name: autoname(name) } : inputs;
      const created = await this.create(type, name, fresh);
      this.created.push({ type, name, id: created.id });
      applied = { id: created.id, inputs: fresh, state: created.state ?? { ...fresh, ...created.outputs }, outputs: outputsOf(raw, created.outputs) };
    }
    this.stack.record(this.stack.resource(type, name, applied.id, applied.inputs, raw, applied.state, applied.outputs));
    return { id: applied.id, state: applied.outputs };
  }

  /**
   * The provider's Check: docker.Image gets build.contextDigest (images.checkImage); a container
   * without a name keeps the one it was created with (an auto-named resource keeps its physical
   * name across updates: Pulumi docs, concepts/resources/names; only a replacement re-checks).
   */
  private check(type: string, name: string, inputs: Record<string, unknown>, prior: Deployed | undefined): Record<string, unknown> {
    if (type === IMAGE) return checkImage(this.ctx.cwd, name, inputs as any) as Record<string, unknown>;
    // The provider's Validate runs in Check, before any step (a delete-first replacement included).
    if (type === SERVICE) checkService(`Service "${name}"`, inputs);
    if (AUTONAMED.includes(type) && inputs.name === undefined && prior) return { ...inputs, name: prior.state.name };
    return inputs;
  }

  /** The provider's Update: the new state and outputs (the id stays). */
  private async update(prior: Deployed, inputs: Record<string, unknown>, raw: Record<string, unknown>, fields: string[]) {
    const kept = outputsOf(raw, pick(prior.outputs, COMPUTED_OUTPUTS[prior.type] ?? []));
    switch (prior.type) {
      case CONTAINER:
        return { state: await updateContainer(prior.id, prior.state, inputs, fields), outputs: kept };
      case IMAGE: {
        // provider.go, Update: build and push again, under the (possibly unchanged) imageName.
        const built = await createImage(this.ctx, prior.name, inputs as any);
        return { state: { ...inputs, ...built.outputs }, outputs: outputsOf(raw, built.outputs) };
      }
      case REMOTE_IMAGE: // keepLocally / forceRemove: only read when the image is deleted
        return { state: { ...prior.state, ...inputs }, outputs: kept };
      case SERVICE: {
        const state = await updateService(this.ctx, prior.name, prior.id, prior.state, inputs);
        return { state, outputs: outputsOf(raw, state) };
      }
      default:
        throw new Error(`${prior.type}: an in-place update is not implemented`);
    }
  }

  /**
   * A preview's answer: nothing touches the engine. An update keeps the old outputs, except an
   * Image's, which the provider leaves unknown (provider.go, Update: in a preview, unless
   * canPreview (buildOnPreview), it returns the new inputs only); a create or replacement has
   * unknown outputs.
   */
  private previewResult(type: string, op: "create" | "update" | "replace", raw: Record<string, unknown>, prior: Deployed | undefined): MockResult {
    const computed = COMPUTED_OUTPUTS[type] ?? [];
    if (type === IMAGE && unwrapSecrets(raw).buildOnPreview) throw new Error("buildOnPreview: true is not implemented (a preview here builds nothing)");
    if (op === "update" && prior) {
      const kept = type === IMAGE ? Object.fromEntries(computed.map((k) => [k, UNKNOWN])) : pick(prior.outputs, computed);
      return { id: prior.id, state: outputsOf(raw, kept) };
    }
    return { id: "", state: previewState(type, raw) };
  }

  /** `i`: the plain inputs; each implementation reads them as its resource's Args type. */
  private async create(type: string, name: string, i: any): Promise<Created> {
    switch (type) {
      case CONTAINER:
        return createContainer(this.ctx, name, i);
      case "docker:index/network:Network":
        return createNetwork(this.ctx, name, i);
      case SERVICE:
        return createService(this.ctx, name, i); // named by apply() (autoname) when the program left it out
      case SECRET:
        return createSecret(this.ctx, name, i); // named by apply() (autoname) when the program left it out
      case CONFIG:
        return createServiceConfig(this.ctx, name, i); // named by apply() (autoname) when the program left it out
      case "docker:index/volume:Volume":
        return createVolume(this.ctx, name, i);
      case IMAGE:
        return createImage(this.ctx, name, i);
      case REMOTE_IMAGE:
        return createRemoteImage(this.ctx, name, i);
      case "random:index/randomPassword:RandomPassword":
        return createRandomString(name, i, true);
      case "random:index/randomString:RandomString":
        return createRandomString(name, i, false);
      case "random:index/randomBytes:RandomBytes":
        return createRandomBytes(name, i);
      case "random:index/randomId:RandomId":
        return createRandomId(name, i);
      default:
        throw new Error(`resource type ${type} is not implemented by the engine mocks`);
    }
  }

  call(args: pulumiType.runtime.MockCallArgs): pulumiType.runtime.MockCallResult {
    throw new Error(`engine mocks: function ${args.token} is not implemented`);
  }

  /**
   * The value of an output once its resource exists on the engine. Rejects as soon as any
   * newResource fails (an output that depends on a failed resource would otherwise never settle).
   */
  value<T>(output: pulumiType.Output<T>): Promise<T> {
    return Promise.race([settled(output), this.firstFailure]);
  }

  /** Removes everything created (see Ledger.teardown), then anything else with this run's label. */
  async teardown(): Promise<void> {
    const errors: string[] = [];
    await this.ledger.teardown().catch((e: Error) => errors.push(e.message));
    await sweepRun(this.runId).catch((e: Error) => errors.push(e.message));
    if (errors.length > 0) throw new Error(errors.join("\n"));
  }
}
