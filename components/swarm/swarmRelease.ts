import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { MIGRATION_LABEL, RELEASE_LABEL, STACK_LABEL } from "../../release/names";
import { Mount, ReleaseImage, ServiceRole, SharedVolume } from "../../release/roles";
import { SwarmConfigs } from "./swarmFiles";
import { converge, DNSRR, rollout, SERVICE_REPLACEMENT, seconds, serviceLabels, spread, SwarmContext, swarmHealthcheck, taskBase } from "./swarmSpec";

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

export function swarmMounts(rt: SwarmRuntime, mounts: readonly Mount[]): docker.types.input.ServiceTaskSpecContainerSpecMount[] {
  return mounts.map((m) => ({
    target: m.path,
    source: rt.volumes[m.volume],
    type: "volume",
    readOnly: m.readOnly,
    // Labelled, so the volumes a node made for the stack can be found (and removed) there.
    volumeOptions: { labels: [{ label: STACK_LABEL, value: rt.ctx.stack }] },
  }));
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
    const extra: Record<string, pulumi.Input<string>> = { [RELEASE_LABEL]: role.release };
    if (role.appEnvironment) extra[MIGRATION_LABEL] = rt.migrated;
    // The release labels change with every release: on the service only, which updates in place
    // (the provider replaces a service whose container labels change).
    const labels = serviceLabels(rt.ctx.stack, role.role, extra);
    const base = taskBase(rt.ctx, role.memoryMb, [...role.aliases], role.singleton ? {} : spread);
    this.service = new docker.Service(
      name,
      {
        name: `${rt.ctx.stack}-${role.role}`,
        labels,
        ...(rt.registryAuth ? { auth: rt.registryAuth } : {}),
        mode: { replicated: { replicas: role.replicas } },
        taskSpec: {
          containerSpec: {
            image: rt.images[role.image],
            // The image's entrypoint stays (the backend's builds Laravel's caches, after exporting the secret files).
            ...(role.command ? { args: [...role.command] } : {}),
            ...(role.workingDir ? { dir: role.workingDir } : {}),
            // Tells which task on which node answered (the app reports its host name).
            hostname: `${role.role}-{{.Task.Slot}}-{{.Node.ID}}`,
            ...(role.appEnvironment ? { env: { ...rt.env }, secrets: [...rt.secretFiles] } : {}),
            ...(role.files.length > 0 ? { configs: role.files.map((f) => rt.configs.file(`${role.role}-${path.basename(f.path)}`, f.content, f.path)) } : {}),
            ...(role.mounts.length > 0 ? { mounts: swarmMounts(rt, role.mounts) } : {}),
            labels: serviceLabels(rt.ctx.stack, role.role),
            healthcheck: swarmHealthcheck(role.health),
            stopSignal: role.stopSignal,
            stopGracePeriod: seconds(role.stopGraceSeconds),
          },
          ...base,
        },
        ...rollout(rt.ctx.swarm, role.rollout),
        endpointSpec: DNSRR,
        ...converge(rt.ctx.swarm),
      },
      { parent: this, dependsOn: args.after, ...SERVICE_REPLACEMENT },
    );
    this.registerOutputs({ service: this.service.name });
  }
}
