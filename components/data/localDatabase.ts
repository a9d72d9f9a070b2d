import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerContext, CREATE_FIRST, DELETE_FIRST, envList, labels, longRunning, shellHealthcheck, stackNetwork } from "../docker/containerSpec";

export interface LocalDatabaseArgs {
  readonly ctx: ContainerContext;
  readonly image: string;
  /** Network alias the app connects to. */
  readonly alias: string;
  readonly name: string;
  readonly user: string;
  /** Secret. */
  readonly password: pulumi.Input<string>;
  readonly memoryMb: number;
}

/**
 * A PostgreSQL container for stacks without a managed database (dbKind=container, never prod).
 * Its data lives in a named volume that outlives the container.
 */
export class LocalDatabase extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: LocalDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:data:LocalDatabase", name, {}, opts);
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, { parent: this, ...CREATE_FIRST });
    const data = new docker.Volume(`${name}-data`, { name: `${args.ctx.stack}-database-data` }, { parent: this, ...DELETE_FIRST });
    this.container = new docker.Container(
      name,
      {
        name: `${args.ctx.stack}-database`,
        image: image.imageId,
        envs: envList({ POSTGRES_DB: args.name, POSTGRES_USER: args.user, POSTGRES_PASSWORD: pulumi.secret(args.password) }),
        volumes: [{ volumeName: data.name, containerPath: "/var/lib/postgresql/data" }],
        labels: labels(args.ctx.stack, "database"),
        healthcheck: shellHealthcheck(`pg_isready -U ${args.user} -d ${args.name}`, "30s"),
        destroyGraceSeconds: 30,
        ...longRunning(args.ctx, args.memoryMb, stackNetwork(args.ctx, [args.alias])),
      },
      { parent: this, ...DELETE_FIRST },
    );
    this.registerOutputs({ container: this.container.name });
  }
}
