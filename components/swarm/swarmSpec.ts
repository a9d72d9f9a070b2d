/**
 * The parts of a swarm service's arguments every service of the stack shares: placement, limits,
 * restart, rollout, health, logs, network. Pure functions of the settings.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { STACK_LABEL } from "../../release/names";
import { Rollout } from "../../release/roles";
import { LimitSettings, SwarmSettings } from "../../stacks/types";
import { labels } from "../docker/containerSpec";

/** The node label placement refers to: `docker node update --label-add php-backend.node=<name> <node>`. */
export const NODE_LABEL = "php-backend.node";

/** A service's replacement order, stated (its name is fixed, so a second one cannot run beside it). */
export const SERVICE_REPLACEMENT = { deleteBeforeReplace: true } as const;

/** What every service of the stack shares. */
export interface SwarmContext {
  /** Stack prefix: the name of every service, secret, config and volume starts with it. */
  readonly stack: string;
  /** Id of the stack's overlay network (attachments name networks by id). */
  readonly network: pulumi.Input<string>;
  readonly limits: LimitSettings;
  readonly swarm: SwarmSettings;
}

const onNode = (node: string) => `node.labels.${NODE_LABEL}==${node}`;

/** The stack's label alone: on networks, secrets and the volumes tasks make on their nodes. */
export const stackLabels = (stack: string) => [{ label: STACK_LABEL, value: stack }];

/** A named volume of the stack, made by the engine of each node a task lands on (labelled, so it can be found there). */
export function volumeMount(ctx: SwarmContext, source: string, target: string, readOnly?: boolean): docker.types.input.ServiceTaskSpecContainerSpecMount {
  return { target, source, type: "volume", ...(readOnly === undefined ? {} : { readOnly }), volumeOptions: { labels: stackLabels(ctx.stack) } };
}

/**
 * Whole seconds in the form the provider reads durations back in (resource_docker_service_
 * structures.go, shortDur: Go's Duration.String without a trailing "0s", then "0m"), so an input
 * never differs from the stored value: 5 -> "5s", 60 -> "1m", 90 -> "1m30s", 3600 -> "1h".
 */
export function seconds(n: number): string {
  if (n === 0) return "0s";
  const [h, m, sec] = [Math.floor(n / 3600), Math.floor((n % 3600) / 60), n % 60];
  let text = h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
  if (text.endsWith("m0s")) text = text.slice(0, -2);
  if (text.endsWith("h0m")) text = text.slice(0, -2);
  return text;
}

/** Limits as the engine takes them; half of each is reserved, so the scheduler never overcommits a node. */
function resources(limits: LimitSettings, memoryMb: number): docker.types.input.ServiceTaskSpecResources {
  const nanoCpus = Math.round(Number(limits.cpus) * 1e9);
  const memoryBytes = memoryMb * 1024 * 1024;
  return {
    limits: { nanoCpus, memoryBytes },
    reservation: { nanoCpus: Math.round(nanoCpus / 10), memoryBytes: Math.round(memoryBytes / 4) },
  };
}

/**
 * The engine rolls a release out itself: `parallelism` tasks at a time, each watched for
 * `monitor`; a task that fails or turns unhealthy in that window rolls the whole service back.
 */
function rollout(s: SwarmSettings, order: Rollout) {
  const common = { parallelism: s.updateParallelism, delay: seconds(s.updateDelaySeconds), monitor: seconds(s.monitorSeconds), maxFailureRatio: "0", order };
  return {
    updateConfig: { ...common, failureAction: "rollback" },
    // A failed rollback stops where it is, for a person to look at, instead of looping.
    rollbackConfig: { ...common, failureAction: "pause" },
  };
}

/** What a task of any service of the stack shares: restart, limits, logs, the overlay network. */
function taskBase(ctx: SwarmContext, memoryMb: number, aliases: string[], placement: docker.types.input.ServiceTaskSpecPlacement) {
  return {
    resources: resources(ctx.limits, memoryMb),
    restartPolicy: { condition: "any", delay: "5s", maxAttempts: 0, window: "0s" },
    // The platform the registry client would add on create (and a later update would remove).
    placement: { ...placement, platforms: [PLATFORM] },
    // By id: the provider reads the attachment back by id, so a name would replace the service every run.
    networksAdvanceds: [{ id: ctx.network, aliases }],
    logDriver: { name: "json-file", options: { "max-size": ctx.limits.logMaxSize, "max-file": String(ctx.limits.logMaxFiles) } },
  };
}

/**
 * The nodes' platform. On create the Docker client resolves the image in its registry and pins
 * the service to the platforms it finds there; stated, so the second run is not an update.
 * The release images are built on the manager: every node must share its platform.
 */
const PLATFORM = { os: "linux", architecture: "amd64" } as const;

/** Replicas spread over the nodes (by their label), so losing one node leaves the others serving. */
export const spread: docker.types.input.ServiceTaskSpecPlacement = { prefs: [`node.labels.${NODE_LABEL}`] };

export const pinned = (node: string): docker.types.input.ServiceTaskSpecPlacement => ({ constraints: [onNode(node)] });

/**
 * `pulumi up` waits until every replica runs the new spec (the provider polls the tasks), and
 * fails after the stack's timeout.
 */
const converge = (s: SwarmSettings) => ({ convergeConfig: { delay: "2s", timeout: seconds(s.convergeTimeoutSeconds) } });

/** Task addresses straight from the swarm's DNS: there is no virtual IP (and none is needed). */
const DNSRR = { mode: "dnsrr" } as const;

/** One replicated service of the stack: what varies from service to service. */
export interface ServiceShape {
  /** The service's name after the stack prefix. */
  readonly name: string;
  readonly role: string;
  readonly replicas: number;
  /** Everything but its labels, which are the stack's and the role's. */
  readonly containerSpec: Omit<docker.types.input.ServiceTaskSpecContainerSpec, "labels">;
  readonly memoryMb: number;
  readonly aliases: string[];
  readonly placement: docker.types.input.ServiceTaskSpecPlacement;
  readonly rollout: Rollout;
  /**
   * Service labels besides the stack's and the role's. Labels that change between runs belong
   * here only: the service's labels update in place, its containers' replace the service.
   */
  readonly labels?: Record<string, pulumi.Input<string>>;
  /** Host-mode ports (the edges). */
  readonly ports?: docker.types.input.ServiceEndpointSpecPort[];
  readonly auth?: docker.types.input.ServiceAuth;
}

/** The arguments of a stack service: its shape on the shared task base, rollout, dnsrr endpoint and convergence wait. */
export function serviceArgs(ctx: SwarmContext, shape: ServiceShape): docker.ServiceArgs {
  return {
    name: `${ctx.stack}-${shape.name}`,
    labels: labels(ctx.stack, shape.role, shape.labels),
    ...(shape.auth ? { auth: shape.auth } : {}),
    mode: { replicated: { replicas: shape.replicas } },
    taskSpec: {
      containerSpec: { ...shape.containerSpec, labels: labels(ctx.stack, shape.role) },
      ...taskBase(ctx, shape.memoryMb, shape.aliases, shape.placement),
    },
    ...rollout(ctx.swarm, shape.rollout),
    endpointSpec: shape.ports ? { ...DNSRR, ports: shape.ports } : DNSRR,
    ...converge(ctx.swarm),
  };
}
