import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ServiceRole } from "../../release/roles";
import { CREATE_FIRST, DELETE_FIRST, longRunning, shellHealthcheck } from "../docker/containerSpec";
import { ReleaseRuntime, releaseLabels, releaseNetworks, releaseUploads, releaseVolumes } from "./releaseRuntime";

/** Component type of each role (kept stable: it is part of every resource's URN). */
const COMPONENT_TYPE: Record<string, string> = {
  "php-fpm": "php-backend:app:PhpFpm",
  "app-nginx": "php-backend:app:AppNginx",
  worker: "php-backend:app:QueueWorker",
  scheduler: "php-backend:app:Scheduler",
};

export interface ReleaseServiceArgs {
  readonly role: ServiceRole;
  readonly runtime: ReleaseRuntime;
  /** Resources each container waits for besides its inputs (app nginx: this release's php-fpm). */
  readonly after?: pulumi.Input<pulumi.Resource>[];
}

/**
 * One service role of a release on a Docker host: its replicas as containers, each created only
 * once healthy, replaced in the role's rollout order (start-first: create before delete).
 */
export class ReleaseService extends pulumi.ComponentResource {
  readonly containers: docker.Container[];

  constructor(name: string, args: ReleaseServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const { role, runtime: rt } = args;
    const type = COMPONENT_TYPE[role.role];
    if (!type) throw new Error(`no component type for role ${role.role}`);
    super(type, name, {}, opts);
    const order = role.rollout === "start-first" ? CREATE_FIRST : DELETE_FIRST;
    this.containers = Array.from({ length: role.replicas }, (_, i) =>
      new docker.Container(
        role.singleton ? name : `${name}-${i}`,
        {
          image: rt.images[role.image],
          ...(role.appEnvironment ? { envs: rt.appEnv } : {}),
          ...(role.command ? { command: [...role.command] } : {}),
          ...(role.workingDir ? { workingDir: role.workingDir } : {}),
          ...(role.files.length > 0 ? { uploads: releaseUploads(role.files) } : {}),
          ...(role.mounts.length > 0 ? { volumes: releaseVolumes(rt, role.mounts) } : {}),
          labels: releaseLabels(rt, role.role, role.release, role.appEnvironment),
          healthcheck: shellHealthcheck(role.health),
          stopSignal: role.stopSignal,
          stopTimeout: role.stopGraceSeconds,
          destroyGraceSeconds: role.stopGraceSeconds,
          ...longRunning(rt.ctx, role.memoryMb, releaseNetworks(rt, role.aliases, role.appEnvironment)),
        },
        { parent: this, dependsOn: args.after, ...order },
      ),
    );
    this.registerOutputs({ containers: this.containers.map((c) => c.name) });
  }
}
