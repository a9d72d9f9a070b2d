import { Ledger } from "./ledger";

/** What every resource implementation of the engine mocks gets. */
export interface EngineContext {
  /** Value of the `e2e.run` label on everything created. */
  readonly runId: string;
  /** Base for relative paths (build context, Dockerfile, upload sources): the program's directory. */
  readonly cwd: string;
  readonly ledger: Ledger;
  /** Every push to a registry, in order. */
  readonly pushes: Push[];
  log(message: string): void;
}

export interface Push {
  readonly imageName: string;
  readonly repoDigest: string;
}

/** A created resource: its provider id and computed outputs (merged over the inputs). */
export interface Created {
  id: string;
  outputs: Record<string, unknown>;
  /** The provider's state, when it differs from inputs + outputs (a container's read-back). */
  state?: Record<string, unknown>;
}
