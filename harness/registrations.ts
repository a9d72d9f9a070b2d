/**
 * What the Node SDK sends with each RegisterResource request beyond the inputs. `Mocks.newResource`
 * never sees resource options, so both kinds of mocks read them off the request here.
 *
 * The SDK sends `deleteBeforeReplace` together with `deleteBeforeReplaceDefined`
 * (sdk/nodejs/runtime/resource.ts, prepareResource/registerResource: `opts.deleteBeforeReplace !== undefined`);
 * the engine takes the provider's choice only when it is not defined.
 */
export const resourceKey = (type: string, name: string) => `${type}::${name}`;

/** `urn:pulumi:stack::project::parent$type::name` -> `type::name` (the mock monitor's URN scheme). */
export function keyOfUrn(urn: string): string {
  const parts = urn.split("::");
  const type = parts[2].split("$").pop()!;
  return resourceKey(type, parts.slice(3).join("::"));
}

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** undefined when the program left the replacement order to the provider. */
  readonly deleteBeforeReplace: boolean | undefined;
  /** Keys (`type::name`) of every resource this one depends on: dependsOn and property dependencies. */
  readonly dependencies: readonly string[];
  /** Per input property, the keys of the resources its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly parent: string | undefined;
  /** Inputs whose changes the engine ignores (`ignoreChanges`). */
  readonly ignoreChanges: readonly string[];
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void };
  getIgnorechangesList(): string[];
}

export class Registrations {
  private readonly byKey = new Map<string, Registration>();

  /** Records every registration made through `monitor` (the mock monitor of a program run). */
  watch(monitor: unknown): void {
    const m = monitor as { registerResource(req: RegisterRequest, cb: unknown): unknown };
    const register = m.registerResource.bind(m);
    m.registerResource = (req: RegisterRequest, callback: unknown) => {
      this.record(req);
      return register(req, callback);
    };
  }

  get(type: string, name: string): Registration | undefined {
    return this.byKey.get(resourceKey(type, name));
  }

  all(): Registration[] {
    return [...this.byKey.values()];
  }

  private record(req: RegisterRequest): void {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList().map(keyOfUrn);
    });
    const reg: Registration = {
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
      dependencies: req.getDependenciesList().map(keyOfUrn),
      propertyDependencies,
      parent: req.getParent() ? keyOfUrn(req.getParent()) : undefined,
      ignoreChanges: req.getIgnorechangesList(),
    };
    this.byKey.set(resourceKey(reg.type, reg.name), reg);
  }
}
