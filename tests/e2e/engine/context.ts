import { Ledger } from "./ledger";

/** What every resource implementation of the engine mocks gets. */
export interface EngineContext {
  /** Value of the `e2e.run` label on everything created. */
  readonly runId: string;
  /** Base for relative paths (build context, Dockerfile, upload sources): the program's directory. */
  readonly cwd: string;
  readonly ledger: Ledger;
  log(message: string): void;
}

/** A created resource: its provider id and computed outputs (merged over the inputs). */
export interface Created {
  id: string;
  outputs: Record<string, unknown>;
}
