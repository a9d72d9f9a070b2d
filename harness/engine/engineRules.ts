/**
 * The Pulumi engine's rules for an update, as pure functions over what was deployed and what
 * the program registers now. Each follows pulumi/pulumi v3.248.0, cited beside it; the
 * provider-specific part (which input replaces, which updates) is in providerSchema.ts.
 */
import { Registration } from "../registrations";
import { changeOf, COMPUTED_OUTPUTS, UNKNOWN } from "./providerSchema";

/** A resource in the state of the last deployment. */
export interface Deployed {
  readonly type: string;
  readonly name: string;
  readonly key: string;
  readonly id: string;
  /** Plain inputs of the last deployment (what a delete needs, e.g. destroyGraceSeconds). */
  readonly inputs: any;
  /** Inputs as the monitor received them (secret wrappers kept), to hand back unchanged. */
  readonly rawInputs: Record<string, unknown>;
  /** The provider's state after its create/update and read: what the next diff compares to. */
  readonly state: Record<string, unknown>;
  /** What the SDK got back (raw inputs with the outputs over them), returned again when unchanged. */
  readonly outputs: Record<string, unknown>;
  /** The resource's options and dependencies when it was registered. */
  readonly registration: Registration;
}

export type Step =
  | { op: "same" }
  | { op: "create" }
  | { op: "update"; fields: string[] }
  | { op: "replace"; fields: string[]; deleteFirst: boolean };

/**
 * What the engine does with a registration, given the deployed resource of that name.
 * step_generator.go, GenerateSteps/generateStepsFromDiff: no old state -> create; the provider's
 * Diff (providerSchema.changeOf) says same, update or replace; for a replacement, the program's
 * `deleteBeforeReplace` wins when it is set (`if goal.DeleteBeforeReplace != nil`), otherwise the
 * provider's choice (pulumi-docker declares docker_container DeleteBeforeReplace). The stand-in
 * refuses to guess that default: a replacement the program left to it fails the run.
 */
export function stepFor(prior: Deployed | undefined, reg: Registration, inputs: Record<string, unknown>): Step {
  if (!prior) return { op: "create" };
  const change = changeOf(prior.type, prior.state, inputs);
  if (change.op !== "replace") return change;
  if (reg.deleteBeforeReplace === undefined) {
    throw new Error(
      `${reg.type} "${reg.name}" must be replaced (${change.fields.join(", ")}) and its replacement order is left ` +
        `to the provider's default: set deleteBeforeReplace explicitly`,
    );
  }
  return { ...change, deleteFirst: reg.deleteBeforeReplace };
}

/**
 * The dependents a delete-first replacement of `root` deletes first.
 * step_generator.go, calculateDependentReplacements: walk the resources that depend on the root
 * in the previous snapshot's dependency graph (DependingOn), leaving out those already registered
 * in this run (impossibleDependents); a dependent is replaced (requiresReplacement) when one of
 * its inputs has a property dependency on a resource being replaced and the provider's Diff,
 * with those inputs unknown, says replace. A dependent through `dependsOn` alone is kept.
 * Transitive: a replaced dependent's own dependents are considered in turn.
 * Returned in delete order (dependents before what they depend on).
 */
export function dependentReplacements(root: Deployed, deployed: readonly Deployed[], registeredThisRun: ReadonlySet<string>): Deployed[] {
  const replacing = new Set([root.key]);
  const found: Deployed[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of deployed) {
      if (replacing.has(d.key) || registeredThisRun.has(d.key) || !d.registration.custom) continue;
      const unknownInputs = Object.entries(d.registration.propertyDependencies)
        .filter(([, deps]) => deps.some((k) => replacing.has(k)))
        .map(([field]) => field);
      if (unknownInputs.length === 0) continue;
      const withUnknowns = { ...d.inputs, ...Object.fromEntries(unknownInputs.map((f) => [f, UNKNOWN])) };
      if (changeOf(d.type, d.state, withUnknowns).op === "replace") {
        replacing.add(d.key);
        found.push(d);
        grew = true;
      }
    }
  }
  return deleteGroups(found).flat();
}

/**
 * Deletes at the end of an update, as parallel groups in reverse dependency order.
 * step_generator.go, ScheduleDeletes: repeatedly take every condemned resource none of whose
 * dependencies (dependency_graph.go, DependenciesOf: dependencies, property dependencies, parent)
 * is still condemned, as one antichain; then reverse the list, so each group is deleted in
 * parallel once every resource depending on its members is gone. Dependencies name custom
 * resources only: the Node SDK expands a component to its custom children before sending them
 * (runtime/dependsOn.ts, getAllTransitivelyReferencedResourceURNs).
 */
export function deleteGroups(condemned: readonly Deployed[]): Deployed[][] {
  const left = new Map(condemned.map((d) => [d.key, d]));
  const dependenciesOf = (d: Deployed) =>
    [...d.registration.dependencies, ...Object.values(d.registration.propertyDependencies).flat(), ...(d.registration.parent ? [d.registration.parent] : [])];
  const groups: Deployed[][] = [];
  while (left.size > 0) {
    const group = [...left.values()].filter((d) => !dependenciesOf(d).some((dep) => dep !== d.key && left.has(dep)));
    if (group.length === 0) throw new Error(`dependency cycle among ${[...left.keys()].join(", ")}`);
    for (const d of group) left.delete(d.key);
    groups.push(group);
  }
  return groups.reverse();
}

/** Outputs a preview shows for a resource being created or replaced: inputs, computed ones unknown. */
export function previewState(type: string, inputs: Record<string, unknown>) {
  const state: Record<string, unknown> = { ...inputs };
  for (const key of COMPUTED_OUTPUTS[type] ?? []) if (state[key] === undefined) state[key] = UNKNOWN;
  return state;
}
