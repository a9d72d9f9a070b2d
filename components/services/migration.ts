import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { MigrationRole } from "../../release/roles";
import { CREATE_FIRST, logging, memoryLimit } from "../docker/containerSpec";
import { ReleaseRuntime, releaseLabels, releaseNetworks, releaseUploads, releaseVolumes } from "./releaseRuntime";

export interface MigrationArgs {
  readonly role: MigrationRole;
  readonly runtime: ReleaseRuntime;
  /** Files written into the container before it starts (a target's secret files). */
  readonly secretFiles?: docker.types.input.ContainerUpload[];
}

/**
 * The release's migration, run to completion: the container is replaced (and so runs again)
 * only when the release's image or environment changes, never per replica.
 */
export class Migration extends pulumi.ComponentResource {
  /** The release version, available once the migration exited 0. */
  readonly completed: pulumi.Output<string>;

  constructor(name: string, args: MigrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:app:Migration", name, {}, opts);
    const { role, runtime: rt } = args;
    const container = new docker.Container(
      name,
      {
        image: rt.images[role.image],
        envs: rt.appEnv,
        command: [...role.command],
        workingDir: role.workingDir,
        uploads: [...releaseUploads(role.files), ...(args.secretFiles ?? [])],
        volumes: releaseVolumes(rt, role.mounts),
        labels: releaseLabels(rt, role.role, role.release, false),
        networksAdvanced: releaseNetworks(rt, [], true),
        ...memoryLimit(role.memoryMb),
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
        throw new Error(`The release check or migration of release ${role.release} exited with ${code}; the release was not started.\n${lastLines(logs ?? "", 40)}`);
      }
      return role.release;
    });
    this.registerOutputs({ completed: this.completed });
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}
