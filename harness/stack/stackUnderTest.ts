/**
 * The real program as a stack on the real engine: `up` and `preview` runs of index.ts against one
 * DockerEngineMocks, so each run after the first is an update of what the last one deployed.
 * The public images are the local stand-ins; the database is a fixture the stack connects to.
 */
import * as path from "path";
import { loadStackConfig, ROOT, runProgram, ProgramOutputs, StackConfig } from "../program";
import { DockerEngineMocks, PlannedStep } from "../engine/dockerEngineMocks";
import { freePort, STAND_INS, startDatabase, stopDatabase } from "./fixtures";

export const APP_DIR = path.join(ROOT, "examples", "laravel-app");
const NS = "php-backend";

export interface StackOptions {
  /** The app to deploy, relative to the project (default: the `local` stack's). */
  readonly appDir?: string;
  /**
   * A database container the program runs itself (dbKind=container) with this connection;
   * default: a PostgreSQL fixture started by the test, as a managed database would be.
   */
  readonly ownDatabase?: "pgsql" | "mysql";
  /**
   * The swarm target on the local swarm (harness/stack/localSwarm.ts): the `local-swarm` stack
   * file, the registry on the port the swarm forwards, the edge ports of the stack file (they
   * are bound inside the worker nodes' namespaces).
   */
  readonly swarm?: { readonly registryPort: number };
}

export interface Run {
  readonly outputs: ProgramOutputs;
  /** Every step of the run, "same" included, in the order the engine took them. */
  readonly plan: PlannedStep[];
  readonly ms: number;
}

export class StackUnderTest {
  readonly mocks: DockerEngineMocks;
  readonly prefix: string;
  private config: StackConfig = {};
  private secrets: Record<string, string>;
  private database?: Awaited<ReturnType<typeof startDatabase>>;

  constructor(
    readonly stack: string,
    private readonly dbPassword: string,
    downAfterMs: number,
    private readonly options: StackOptions = {},
  ) {
    this.secrets = { dbPassword };
    this.mocks = new DockerEngineMocks({ cwd: ROOT, log: (m) => process.env.E2E_VERBOSE && console.log(m) });
    this.prefix = `${NS}-${stack}`;
    this.config[`${NS}:sentinelDownAfterMs`] = String(downAfterMs);
  }

  /** Starts the database fixture (unless the stack runs its own) and picks free host ports. */
  async prepare(): Promise<void> {
    const { ownDatabase, appDir } = this.options;
    let database: StackConfig;
    if (ownDatabase) {
      database = {
        [`${NS}:dbKind`]: "container",
        [`${NS}:dbConnection`]: ownDatabase,
        [`${NS}:postgresImage`]: STAND_INS.postgres,
        [`${NS}:mysqlImage`]: STAND_INS.mysql,
      };
    } else {
      this.database = await startDatabase(this.mocks.runId, `${this.prefix}-postgres`, this.dbPassword);
      database = { [`${NS}:dbKind`]: "external", [`${NS}:dbHost`]: this.database.host, [`${NS}:dbNetwork`]: this.database.network };
    }
    const { swarm } = this.options;
    this.config = {
      ...loadStackConfig(swarm ? "local-swarm" : "local"),
      ...this.config,
      // Test stacks run with the local environment's rules, whatever their name.
      [`${NS}:environment`]: "local",
      ...(appDir ? { [`${NS}:appDir`]: appDir } : {}),
      [`${NS}:phpBaseImage`]: STAND_INS.debian,
      [`${NS}:nginxBaseImage`]: STAND_INS.nginx,
      [`${NS}:redisImage`]: STAND_INS.redis,
      [`${NS}:haproxyImage`]: STAND_INS.haproxy,
      [`${NS}:registryImage`]: STAND_INS.registry,
      ...(swarm
        ? { [`${NS}:registryPort`]: String(swarm.registryPort) }
        : {
            [`${NS}:registryPort`]: String(await freePort()),
            [`${NS}:edgeHttpPort`]: String(await freePort()),
            [`${NS}:edgeHttpsPort`]: String(await freePort()),
          }),
      ...database,
    };
  }

  /** A config value the test needs before `set` (a chosen port). */
  get(key: string): string | undefined {
    return this.config[`${NS}:${key}`];
  }

  /** `pulumi config set --secret` for this stack. */
  setSecret(key: string, value: string): void {
    this.secrets[key] = value;
  }

  /** `pulumi config set` for this stack (bare keys). */
  set(values: Record<string, string>): void {
    for (const [k, v] of Object.entries(values)) this.config[`${NS}:${k}`] = v;
  }

  private async run(mode: "update" | "preview"): Promise<Run> {
    const started = Date.now();
    this.mocks.begin(mode);
    const outputs = await runProgram({
      stack: this.stack,
      config: this.config,
      secrets: this.secrets,
      mocks: this.mocks,
      settle: (out) => this.mocks.value(out),
      onMonitor: (monitor) => this.mocks.stack.watch(monitor),
      preview: mode === "preview",
    }).catch((e: Error) => {
      this.mocks.stack.abandon(e.message.split("\n")[0]);
      throw e;
    });
    const plan = await this.mocks.finish();
    return { outputs, plan, ms: Date.now() - started };
  }

  /** `pulumi up`. */
  up(): Promise<Run> {
    return this.run("update");
  }

  /** `pulumi preview`. */
  preview(): Promise<Run> {
    return this.run("preview");
  }

  /** Removes everything the runs and the fixture created. */
  async teardown(): Promise<void> {
    await this.mocks.teardown().catch((e) => console.error(e));
    await stopDatabase(this.database);
  }
}

/** The steps that change something (everything but "same"). */
export const changes = (plan: readonly PlannedStep[]) => plan.filter((s) => s.op !== "same");

/** `op type name` lines, for readable failures and logs. */
export const describePlan = (plan: readonly PlannedStep[]) =>
  plan.map((s) => `${s.op}${s.op === "replace" ? (s.deleteFirst ? " (delete first)" : " (create first)") : ""} ${s.type.split(":").pop()} ${s.name}${s.fields ? ` [${s.fields.join(", ")}]` : ""}`);
