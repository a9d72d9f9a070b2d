import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { APP_DIR_IN_IMAGE, appLabels, appNetworks, AppRuntime } from "./appRuntime";
import { CREATE_FIRST, logging, memoryLimit } from "../docker/containerSpec";

export interface MigrationArgs {
  readonly runtime: AppRuntime;
  readonly memoryMb: number;
}

/**
 * `php artisan migrate --force`, run to completion once per release: the container is replaced
 * (and so runs again) only when the release's image or environment changes, never per replica.
 */
export class Migration extends pulumi.ComponentResource {
  /** The release version, available once the migration exited 0. */
  readonly completed: pulumi.Output<string>;

  constructor(name: string, args: MigrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:app:Migration", name, {}, opts);
    const rt = args.runtime;
    const container = new docker.Container(
      name,
      {
        image: rt.image,
        envs: rt.env,
        command: ["php", "artisan", "migrate", "--force", "--no-interaction"],
        workingDir: APP_DIR_IN_IMAGE,
        labels: appLabels(rt, "migrate"),
        networksAdvanced: appNetworks(rt, []),
        ...memoryLimit(args.memoryMb),
        ...logging(rt.ctx.limits),
        restart: "no",
        // Wait for it to finish and keep it afterwards: an exited container is its record.
        attach: true,
        logs: true,
        mustRun: false,
      },
      // Create-first: the release containers take its result as an input, and a delete-first
      // replacement would delete them (the running release) before the new migration starts.
      { parent: this, ...CREATE_FIRST },
    );
    this.completed = pulumi.all([container.exitCode, container.containerLogs]).apply(([code, logs]) => {
      if (code !== 0) {
        throw new Error(`Migration of release ${rt.release} exited with ${code}; the release was not started.\n${logs ?? ""}`);
      }
      return rt.release;
    });
    this.registerOutputs({ completed: this.completed });
  }
}
