/**
 * Calls policies the way @pulumi/policy's analyzer does (policy/node_modules/@pulumi/policy/
 * server.js: makeAnalyzeRpcFun builds ResourceValidationArgs per resource and calls each
 * validateResource; makeAnalyzeStackRpcFun builds PolicyResources and calls validateStack),
 * with the SDK's own types and its unknownCheckingProxy around the props. Violations are
 * collected with the policy's enforcement level (the pack's default, "advisory", when unset).
 */
import type {
  EnforcementLevel, Policies, Policy, PolicyResource, PolicyResourceOptions, ResourceValidationArgs,
  ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy,
} from "./sdk";
import { unknownCheckingProxy, UnknownValueError } from "./sdk";

export interface Violation {
  readonly policy: string;
  readonly level: EnforcementLevel;
  readonly message: string;
  readonly urn?: string;
}

/** A resource as a test states it; everything else is filled in as the engine would. */
export interface ResourceSpec {
  readonly type: string;
  readonly name: string;
  /** Inputs for resource policies, outputs for stack policies; secrets already unwrapped. */
  readonly props: Record<string, any>;
  readonly urn?: string;
  readonly parent?: string;
  readonly deleteBeforeReplace?: boolean;
  readonly protect?: boolean;
  readonly dependencies?: readonly string[];
}

export const urnOf = (stack: string, type: string, name: string, parentTypes: readonly string[] = []) =>
  `urn:pulumi:${stack}::php-backend::${[...parentTypes, type].join("$")}::${name}`;

class NotApplicable extends Error {}

const NO_TAGS: ReadonlyMap<string, string> = new Map();

function options(r: ResourceSpec): PolicyResourceOptions {
  return {
    protect: r.protect ?? false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    ...(r.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.deleteBeforeReplace } : {}),
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

/** server.js isTypeOf: the class's `__pulumiType`, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: any): boolean {
  if (resourceClass.__pulumiType) return resourceClass.__pulumiType === type;
  return typeof resourceClass.isInstance === "function" && resourceClass.isInstance({ __pulumiType: type }) === true;
}

const common = {
  stackTags: NO_TAGS,
  getConfig: <T extends object>() => ({}) as T,
  notApplicable: (reason?: string): never => {
    throw new NotApplicable(reason);
  },
};

export function resourceArgs(r: ResourceSpec, stack = "test"): ResourceValidationArgs {
  const props = unknownCheckingProxy(r.props);
  return {
    ...common, type: r.type, props, name: r.name, urn: r.urn ?? urnOf(stack, r.type, r.name), opts: options(r),
    isType: (cls) => isTypeOf(r.type, cls),
    asType: (cls) => (isTypeOf(r.type, cls) ? props : undefined) as any,
  };
}

export function stackArgs(resources: readonly ResourceSpec[], stack = "test"): StackValidationArgs {
  const built = resources.map((r): PolicyResource => {
    const props = unknownCheckingProxy(r.props);
    return {
      type: r.type, props, name: r.name, urn: r.urn ?? urnOf(stack, r.type, r.name), opts: options(r),
      dependencies: [], propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: (cls) => (isTypeOf(r.type, cls) ? props : undefined) as any,
    };
  });
  const byUrn = new Map(built.map((b) => [b.urn, b]));
  resources.forEach((r, i) => {
    if (r.parent) built[i].parent = byUrn.get(r.parent);
    built[i].dependencies = (r.dependencies ?? []).flatMap((d) => byUrn.get(d) ?? []);
  });
  return { ...common, resources: built };
}

/** Runs `validate` as the SDK does: violations, a not-applicable reason, or an unknown value. */
async function collect(p: Policy, validate: (report: (message: string, urn?: string) => void) => Promise<void> | void): Promise<Violation[]> {
  const level = p.enforcementLevel ?? "advisory";
  const found: Violation[] = [];
  try {
    await validate((message, urn) => found.push({ policy: p.name, level, message, urn }));
  } catch (e) {
    if (e instanceof NotApplicable) return found;
    // server.js: an unknown value during a preview becomes an advisory "can't run" diagnostic.
    if (e instanceof UnknownValueError) return [...found, { policy: p.name, level: "advisory", message: `can't run during preview: ${(e as Error).message}` }];
    throw e;
  }
  return found;
}

export async function validateResource(p: ResourceValidationPolicy, r: ResourceSpec, stack = "test"): Promise<Violation[]> {
  const v = p.validateResource;
  const validations = v === undefined ? [] : Array.isArray(v) ? v : [v];
  const found: Violation[] = [];
  for (const one of validations) found.push(...(await collect(p, (report) => one(resourceArgs(r, stack), report))));
  return found;
}

export const validateStack = (p: StackValidationPolicy, resources: readonly ResourceSpec[], stack = "test") =>
  collect(p, (report) => p.validateStack(stackArgs(resources, stack), report));

const isStackPolicy = (p: ResourceValidationPolicy | StackValidationPolicy): p is StackValidationPolicy =>
  typeof (p as StackValidationPolicy).validateStack === "function";

/** Every resource to each resource policy (inputs), the set to each stack policy (outputs). */
export async function analyze(pack: Policies, inputs: readonly ResourceSpec[], outputs: readonly ResourceSpec[], stack: string): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const p of pack) {
    // server.js isStackPolicy / isResourcePolicy
    if (isStackPolicy(p)) found.push(...(await validateStack(p, outputs, stack)));
    else for (const r of inputs) found.push(...(await validateResource(p, r, stack)));
  }
  return found;
}
