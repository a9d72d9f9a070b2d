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
  /** Id of the stack's overlay network. */
  readonly network: pulumi.Input<string>;
  readonly limits: LimitSettings;
  readonly swarm: SwarmSettings;
}

export const onNode = (node: string) => `node.labels.${NODE_LABEL}==${node}`;

export function serviceLabels(stack: string, role: string, extra: Record<string, pulumi.Input<string>> = {}) {
  return Object.entries({ [STACK_LABEL]: stack, [ROLE_LABEL]: role, ...extra }).map(([label, value]) => ({ label, value }));
}

export const seconds = (n: number) => `${n}s`;

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
    placement,
    networksAdvanceds: [{ name: ctx.network, aliases }],
    logDriver: { name: "json-file", options: { "max-size": ctx.limits.logMaxSize, "max-file": String(ctx.limits.logMaxFiles) } },
  };
}

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
