import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { STACK_LABEL } from "../../release/names";
import { DbConnection } from "../../stacks/types";
import { DATABASE_ENGINES } from "../data/localDatabase";
import { SwarmSecrets } from "./swarmFiles";
import { converge, DNSRR, rollout, SERVICE_REPLACEMENT, serviceLabels, SwarmContext, swarmHealthcheck, taskBase } from "./swarmSpec";

export interface SwarmDatabaseArgs {
  readonly ctx: SwarmContext;
  readonly secrets: SwarmSecrets;
  readonly engine: DbConnection;
  readonly image: string;
  readonly alias: string;
  readonly name: string;
  readonly user: string;
  /** Secret. */
  readonly password: pulumi.Input<string>;
  readonly memoryMb: number;
}

/**
 * The database service of a stack without a managed database (never prod): one task on the
 * manager, where its volume stays; the password reaches it as a secret file (X_PASSWORD_FILE).
 */
export class SwarmDatabase extends pulumi.ComponentResource {
  readonly service: docker.Service;

  constructor(name: string, args: SwarmDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:swarm:Database", name, {}, opts);
    const { ctx } = args;
    const engine = DATABASE_ENGINES[args.engine];
    const passwordFile = `/run/secrets/${engine.passwordVar}`;
    this.service = new docker.Service(
      name,
      {
        name: `${ctx.stack}-database`,
        labels: serviceLabels(ctx.stack, "database"),
        mode: { replicated: { replicas: 1 } },
        taskSpec: {
          containerSpec: {
            image: args.image,
            env: { ...engine.env(args), [`${engine.passwordVar}_FILE`]: passwordFile },
            secrets: [args.secrets.file(engine.passwordVar, args.password, passwordFile, 0o444)],
            mounts: [{
              target: engine.dataDir, source: `${ctx.stack}-${engine.volumeSuffix}`, type: "volume",
              volumeOptions: { labels: [{ label: STACK_LABEL, value: ctx.stack }] },
            }],
            labels: serviceLabels(ctx.stack, "database"),
            healthcheck: swarmHealthcheck(engine.health(args), engine.startPeriod),
            stopGracePeriod: "30s",
          },
          ...taskBase(ctx, args.memoryMb, [args.alias], { constraints: ["node.role==manager"] }),
        },
        ...rollout(ctx.swarm, "stop-first"),
        endpointSpec: DNSRR,
        ...converge(ctx.swarm),
      },
      { parent: this, ...SERVICE_REPLACEMENT },
    );
    this.registerOutputs({ service: this.service.name });
  }
}
