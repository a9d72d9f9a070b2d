import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DATABASE_ENGINES, DatabaseServer } from "../data/localDatabase";
import { shellHealthcheck } from "../docker/containerSpec";
import { SwarmSecrets } from "./swarmFiles";
import { SERVICE_REPLACEMENT, serviceArgs, SwarmContext, volumeMount } from "./swarmSpec";

export interface SwarmDatabaseArgs extends DatabaseServer {
  readonly ctx: SwarmContext;
  readonly secrets: SwarmSecrets;
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
      serviceArgs(ctx, {
        name: "database", role: "database", replicas: 1,
        containerSpec: {
          image: args.image,
          env: { ...engine.env(args), [`${engine.passwordVar}_FILE`]: passwordFile },
          secrets: [args.secrets.file(engine.passwordVar, args.password, passwordFile, 0o444)],
          mounts: [volumeMount(ctx, `${ctx.stack}-${engine.volumeSuffix}`, engine.dataDir)],
          healthcheck: shellHealthcheck(engine.health(args), engine.startPeriod),
          stopGracePeriod: "30s",
        },
        memoryMb: args.memoryMb, aliases: [args.alias], placement: { constraints: ["node.role==manager"] }, rollout: "stop-first",
      }),
      { parent: this, ...SERVICE_REPLACEMENT },
    );
    this.registerOutputs({ service: this.service.name });
  }
}
