/**
 * The parts of a swarm service's arguments every service of the stack shares: placement, limits,
 * restart, rollout, health, logs, network. Pure functions of the settings.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ROLE_LABEL, STACK_LABEL } from "../../release/names";
import { Rollout } from "../../release/roles";
import { LimitSettings, SwarmSettings } from "../../stacks/types";

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

export const onNode = (node: string) => `node.labels.${NODE_LABEL}==${node}`;

export function serviceLabels(stack: string, role: string, extra: Record<string, pulumi.Input<string>> = {}) {
  return Object.entries({ [STACK_LABEL]: stack, [ROLE_LABEL]: role, ...extra }).map(([label, value]) => ({ label, value }));
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

export function swarmHealthcheck(command: string, startPeriod = "10s"): docker.types.input.ServiceTaskSpecContainerSpecHealthcheck {
  return { tests: ["CMD-SHELL", command], interval: "5s", timeout: "3s", retries: 3, startPeriod };
}

/** Limits as the engine takes them; half of each is reserved, so the scheduler never overcommits a node. */
export function resources(limits: LimitSettings, memoryMb: number): docker.types.input.ServiceTaskSpecResources {
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
export function rollout(s: SwarmSettings, order: Rollout) {
  const common = { parallelism: s.updateParallelism, delay: seconds(s.updateDelaySeconds), monitor: seconds(s.monitorSeconds), maxFailureRatio: "0", order };
  return {
    updateConfig: { ...common, failureAction: "rollback" },
    // A failed rollback stops where it is, for a person to look at, instead of looping.
    rollbackConfig: { ...common, failureAction: "pause" },
  };
}

/** What a task of any service of the stack shares: restart, limits, logs, the overlay network. */
export function taskBase(ctx: SwarmContext, memoryMb: number, aliases: string[], placement: docker.types.input.ServiceTaskSpecPlacement) {
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
export const PLATFORM = { os: "linux", architecture: "amd64" } as const;

/** Replicas spread over the nodes (by their label), so losing one node leaves the others serving. */
export const spread: docker.types.input.ServiceTaskSpecPlacement = { prefs: [`node.labels.${NODE_LABEL}`] };

export const pinned = (node: string): docker.types.input.ServiceTaskSpecPlacement => ({ constraints: [onNode(node)] });

/**
 * `pulumi up` waits until every replica runs the new spec (the provider polls the tasks), and
 * fails after the stack's timeout.
 */
export const converge = (s: SwarmSettings) => ({ convergeConfig: { delay: "2s", timeout: seconds(s.convergeTimeoutSeconds) } });

/** Task addresses straight from the swarm's DNS: there is no virtual IP (and none is needed). */
export const DNSRR = { mode: "dnsrr" } as const;
