/**
 * What the engine keeps between two runs of the program, and the steps of one run (an update or
 * a preview), decided by engineRules.ts from the last deployment and the registrations of this
 * run. Deleting is done here; creating and updating by the resource implementations.
 */
import { Registration, Registrations, resourceKey } from "../registrations";
import { docker } from "./dockerCli";
import { dependentReplacements, Deployed, deleteGroups, Step, stepFor } from "./engineRules";
import { deleteNetwork } from "./networkVolume";
import { deleteService } from "./service";
import { removeObject } from "./swarmObjects";

export type { Deployed };

/** One line of the plan: what happened (or, in a preview, would happen) to a resource. */
export interface PlannedStep {
  readonly op: "create" | "same" | "update" | "replace" | "delete";
  readonly type: string;
  readonly name: string;
  /** For a replacement: the old resource was deleted before the new one was created. */
  readonly deleteFirst?: boolean;
  /** Inputs that changed (update, replace). */
  readonly fields?: readonly string[];
  /** Replaced because a delete-first replacement of a resource it depends on deleted it. */
  readonly dependentOf?: string;
}

/** Options of a resource registered outside a program run (a test calling newResource itself). */
function unregistered(type: string, name: string): Registration {
  return { type, name, custom: true, deleteBeforeReplace: undefined, dependencies: [], propertyDependencies: {}, parent: undefined, ignoreChanges: [] };
}

export class StackState {
  readonly registrations = new Registrations();
  private deployed = new Map<string, Deployed>();
  private current = new Map<string, Deployed>();
  /** Resources of the last deployment the program declared again in this run. */
  private declared = new Set<string>();
  /** Old resources of create-first replacements: deleted at the end of the update. */
  private condemned: Deployed[] = [];
  /** Deleted during this run by a delete-first replacement (root or dependent). */
  private deletedEarly = new Map<string, string | undefined>();
  private steps: PlannedStep[] = [];
  private mode: "update" | "preview" = "update";
  private failedRun?: string;

  /** Records the options of every registration (the Mocks interface does not pass them). */
  watch(monitor: unknown): void {
    this.registrations.watch(monitor);
  }

  get preview(): boolean {
    return this.mode === "preview";
  }

  /** Starts a run of the program: `pulumi up` (update) or `pulumi preview`. */
  begin(mode: "update" | "preview"): void {
    if (this.failedRun) {
      throw new Error(`an earlier update failed (${this.failedRun}): the stand-in does not model the state it leaves (pending deletes); tear the stack down`);
    }
    this.mode = mode;
    this.current = new Map();
    this.declared = new Set();
    this.condemned = [];
    this.deletedEarly = new Map();
    this.steps = [];
  }

  /**
   * The program failed: the update stops where it is. Nothing is deleted, neither the old copies
   * of create-first replacements nor undeclared resources (pulumi deployment_executor.go Execute:
   * a source error bails before performPostSteps, which generates and schedules the deletes).
   */
  abandon(reason: string): void {
    this.failedRun = reason;
  }

  /** The resource of this name in the last deployment, if any. */
  prior(type: string, name: string): Deployed | undefined {
    return this.deployed.get(resourceKey(type, name));
  }

  /** A resource as the provider left it, with the options it was registered with. */
  resource(type: string, name: string, id: string, inputs: any, rawInputs: Record<string, unknown>, state: Record<string, unknown>, outputs: Record<string, unknown>): Deployed {
    const registration = this.registrations.get(type, name) ?? unregistered(type, name);
    return { type, name, key: resourceKey(type, name), id, inputs, rawInputs, state, outputs, registration };
  }

  /**
   * Decides the step for a registration. A delete-first replacement deletes its dependents
   * (engineRules.dependentReplacements) and then the old resource, here and now, before the new
   * one is created; a create-first one condemns the old resource to the end of the update.
   * A resource created outside a program run (no registration seen) can only be created.
   */
  async step(type: string, name: string, inputs: Record<string, unknown>): Promise<Step> {
    const key = resourceKey(type, name);
    if (this.deletedEarly.has(key)) {
      const root = this.deletedEarly.get(key);
      this.steps.push({ op: "replace", type, name, deleteFirst: true, ...(root ? { dependentOf: root } : {}) });
      return { op: "create" };
    }
    const prior = this.deployed.get(key);
    this.declared.add(key);
    const reg = this.registrations.get(type, name);
    if (!reg && prior) throw new Error(`no registration request seen for ${type} "${name}" (install the mocks with mocks.install)`);
    if (reg && reg.ignoreChanges.length > 0) throw new Error(`ignoreChanges (${reg.ignoreChanges.join(", ")}) is not modelled by the stand-in`);
    const step = stepFor(prior, reg ?? unregistered(type, name), inputs);
    if (step.op === "replace" && step.deleteFirst) {
      const candidates = [...this.deployed.values()].filter((d) => !this.deletedEarly.has(d.key));
      const dependents = dependentReplacements(prior!, candidates, this.declared);
      for (const d of dependents) this.deletedEarly.set(d.key, `${type} ${name}`);
      this.deletedEarly.set(key, undefined);
      if (!this.preview) for (const d of [...dependents, prior!]) await destroy(d);
    } else if (step.op === "replace") {
      this.condemned.push(prior!);
    }
    // A same step keeps the resource with the options and dependencies it was registered with now.
    if (step.op === "same") this.current.set(key, { ...prior!, registration: reg ?? prior!.registration });
    const detail = step.op === "replace" ? { deleteFirst: step.deleteFirst, fields: step.fields } : step.op === "update" ? { fields: step.fields } : {};
    this.steps.push({ op: step.op, type, name, ...detail });
    return step;
  }

  /** The resource as it now is (created or updated). */
  record(d: Deployed): void {
    this.current.set(d.key, d);
  }

  /**
   * Ends the run. An update deletes the condemned and the no longer declared resources in
   * parallel groups, dependents first (engineRules.deleteGroups), and keeps what now exists; a
   * preview deletes nothing and forgets the run. Returns the run's steps.
   */
  async finish(): Promise<PlannedStep[]> {
    const undeclared = [...this.deployed.values()].filter((d) => !this.declared.has(d.key) && !this.deletedEarly.has(d.key));
    for (const d of undeclared) this.steps.push({ op: "delete", type: d.type, name: d.name });
    if (!this.preview) {
      for (const group of deleteGroups([...this.condemned, ...undeclared])) await Promise.all(group.map(destroy));
      this.deployed = this.current;
    }
    const steps = this.steps;
    this.begin("update");
    return steps;
  }

  /** Resources of the last deployment. */
  deployedResources(): Deployed[] {
    return [...this.deployed.values()];
  }
}

/**
 * Deletes a resource the way its provider does. Container: terraform-provider-docker v4.5.0
 * resource_docker_container_funcs.go, resourceDockerContainerDelete: unless `attach`, stop with a
 * timeout of destroy_grace_seconds (0 when unset: SIGKILL at once), then remove with force (and
 * anonymous volumes unless remove_volumes is false), then wait until it is not running.
 */
async function destroy(d: Deployed): Promise<void> {
  switch (d.type) {
    case "docker:index/container:Container": {
      if (!d.inputs.attach) await docker(["stop", "-t", String(d.inputs.destroyGraceSeconds || 0), d.id]);
      await docker(["rm", "-f", ...(d.inputs.removeVolumes === false ? [] : ["-v"]), d.id]);
      return;
    }
    case "docker:index/network:Network": // resourceDockerNetworkDelete (networkVolume.deleteNetwork)
      return deleteNetwork(d.id);
    case "docker:index/service:Service": // resourceDockerServiceDelete -> deleteService, with the state's grace period
      return deleteService(d.id, String(d.state.name), (d.state.taskSpec as any)?.containerSpec?.stopGracePeriod);
    case "docker:index/secret:Secret": // resourceDockerSecretDelete
      return removeObject("secret", d.id);
    case "docker:index/serviceConfig:ServiceConfig": // resourceDockerConfigDelete
      return removeObject("config", d.id);
    case "docker:index/volume:Volume":
      return void (await docker(["volume", "rm", d.id]));
    // Images stay in the registry and, with keepLocally, on the engine; random values,
    // providers and components have nothing on the engine.
    default:
      return;
  }
}
