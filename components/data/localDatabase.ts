import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerContext, CREATE_FIRST, DELETE_FIRST, envList, labels, longRunning, shellHealthcheck, stackNetwork } from "../docker/containerSpec";

/** Who the database's one account is. */
export interface DatabaseAccount {
  readonly name: string;
  readonly user: string;
}

/**
 * How the official postgres and mysql images are configured, store data and report readiness.
 * The password goes in `passwordVar`, or as a file named by `passwordVar`_FILE (Docker secrets).
 */
export const DATABASE_ENGINES = {
  pgsql: {
    env: (a: DatabaseAccount) => ({ POSTGRES_DB: a.name, POSTGRES_USER: a.user }),
    passwordVar: "POSTGRES_PASSWORD",
    dataDir: "/var/lib/postgresql/data",
    volumeSuffix: "database-data",
    health: (a: DatabaseAccount) => `pg_isready -U ${a.user} -d ${a.name}`,
    startPeriod: "30s",
  },
  mysql: {
    // The root account gets a random password nobody needs: the app uses its own user.
    env: (a: DatabaseAccount) => ({ MYSQL_DATABASE: a.name, MYSQL_USER: a.user, MYSQL_RANDOM_ROOT_PASSWORD: "yes" }),
    passwordVar: "MYSQL_PASSWORD",
    dataDir: "/var/lib/mysql",
    volumeSuffix: "database-mysql-data",
    // Answers over TCP only once the server is up for real (first-start initialisation runs
    // without networking); ping succeeds without credentials, so none is in the command.
    health: () => "mysqladmin ping -h 127.0.0.1 --silent",
    // A first start initialises the data directory before the server listens.
    startPeriod: "60s",
  },
} as const;

/** A database server the stack runs itself, whatever runs it (a container, a swarm service). */
export interface DatabaseServer extends DatabaseAccount {
  /** Laravel's connection name: which database server runs. */
  readonly engine: keyof typeof DATABASE_ENGINES;
  readonly image: string;
  /** Network alias the app connects to. */
  readonly alias: string;
  /** Secret. */
  readonly password: pulumi.Input<string>;
  readonly memoryMb: number;
}

export interface LocalDatabaseArgs extends DatabaseServer {
  readonly ctx: ContainerContext;
}

/**
 * A PostgreSQL or MySQL container for stacks without a managed database (dbKind=container,
 * never prod). Its data lives in a named volume that outlives the container.
 */
export class LocalDatabase extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: LocalDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:data:LocalDatabase", name, {}, opts);
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, { parent: this, ...CREATE_FIRST });
    const engine = DATABASE_ENGINES[args.engine];
    const data = new docker.Volume(`${name}-data`, { name: `${args.ctx.stack}-${engine.volumeSuffix}` }, { parent: this, ...DELETE_FIRST });
    this.container = new docker.Container(
      name,
      {
        name: `${args.ctx.stack}-database`,
        image: image.imageId,
        envs: envList({ ...engine.env(args), [engine.passwordVar]: pulumi.secret(args.password) }),
        volumes: [{ volumeName: data.name, containerPath: engine.dataDir }],
        labels: labels(args.ctx.stack, "database"),
        healthcheck: shellHealthcheck(engine.health(args), engine.startPeriod),
        destroyGraceSeconds: 30,
        ...longRunning(args.ctx, args.memoryMb, stackNetwork(args.ctx, [args.alias])),
      },
      { parent: this, ...DELETE_FIRST },
    );
    this.registerOutputs({ container: this.container.name });
  }
}
