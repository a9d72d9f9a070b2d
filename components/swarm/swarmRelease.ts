import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { MIGRATION_LABEL, RELEASE_LABEL } from "../../release/names";
import { ReleaseImage, ServiceRole, SharedVolume } from "../../release/roles";
import { shellHealthcheck } from "../docker/containerSpec";
import { SwarmConfigs } from "./swarmFiles";
import { SERVICE_REPLACEMENT, seconds, serviceArgs, spread, SwarmContext, volumeMount } from "./swarmSpec";

/** Component type of each role (kept stable: it is part of every resource's URN). */
const COMPONENT_TYPE: Record<string, string> = {
  "php-fpm": "php-backend:swarm:PhpFpm",
  "app-nginx": "php-backend:swarm:AppNginx",
  worker: "php-backend:swarm:QueueWorker",
  scheduler: "php-backend:swarm:Scheduler",
};

/** What the services of one release share on a swarm. */
export interface SwarmRuntime {
  readonly ctx: SwarmContext;
  readonly images: Readonly<Record<ReleaseImage, pulumi.Input<string>>>;
  /** The app's plain environment; its secrets come as files (`secretFiles`), never as variables. */
  readonly env: Readonly<Record<string, string>>;
  readonly secretFiles: readonly docker.types.input.ServiceTaskSpecContainerSpecSecret[];
  readonly configs: SwarmConfigs;
  /** Volume name of each shared volume (a local volume of that name on every node). */
  readonly volumes: Readonly<Record<SharedVolume, string>>;
  /** Resolves once this release's migration has succeeded (a label on the app services). */
  readonly migrated: pulumi.Input<string>;
  /** Credentials for the release images' registry, handed to the nodes that pull them (none for the local one). */
  readonly registryAuth?: docker.types.input.ServiceAuth;
}

/**
 * One service role of a release as one swarm service. A release changes its image (and labels)
 * in place: the swarm replaces the tasks itself, `parallelism` at a time in the role's order,
 * health-gated, and rolls the service back when a new task fails within the monitor window.
 */
export class SwarmReleaseService extends pulumi.ComponentResource {
  readonly service: docker.Service;

  constructor(name: string, args: { role: ServiceRole; runtime: SwarmRuntime; after: pulumi.Resource[] }, opts?: pulumi.ComponentResourceOptions) {
    const { role, runtime: rt } = args;
    const type = COMPONENT_TYPE[role.role];
    if (!type) throw new Error(`no component type for role ${role.role}`);
    super(type, name, {}, opts);
    const releaseLabels: Record<string, pulumi.Input<string>> = { [RELEASE_LABEL]: role.release };
    if (role.appEnvironment) releaseLabels[MIGRATION_LABEL] = rt.migrated;
    this.service = new docker.Service(
      name,
      serviceArgs(rt.ctx, {
        name: role.role,
        role: role.role,
        replicas: role.replicas,
        // The release labels change with every release: on the service only.
        labels: releaseLabels,
        auth: rt.registryAuth,
        containerSpec: {
          image: rt.images[role.image],
          // The image's entrypoint stays (the backend's builds Laravel's caches, after exporting the secret files).
          ...(role.command ? { args: [...role.command] } : {}),
          ...(role.workingDir ? { dir: role.workingDir } : {}),
          // Tells which task on which node answered (the app reports its host name).
          hostname: `${role.role}-{{.Task.Slot}}-{{.Node.ID}}`,
          ...(role.appEnvironment ? { env: { ...rt.env }, secrets: [...rt.secretFiles] } : {}),
          ...(role.files.length > 0 ? { configs: role.files.map((f) => rt.configs.file(`${role.role}-${path.basename(f.path)}`, f.content, f.path)) } : {}),
          ...(role.mounts.length > 0 ? { mounts: role.mounts.map((m) => volumeMount(rt.ctx, rt.volumes[m.volume], m.path, m.readOnly)) } : {}),
          healthcheck: shellHealthcheck(role.health),
          stopSignal: role.stopSignal,
          stopGracePeriod: seconds(role.stopGraceSeconds),
        },
        memoryMb: role.memoryMb,
        aliases: [...role.aliases],
        placement: role.singleton ? {} : spread,
        rollout: role.rollout,
      }),
      { parent: this, dependsOn: args.after, ...SERVICE_REPLACEMENT },
    );
    this.registerOutputs({ service: this.service.name });
  }
}
