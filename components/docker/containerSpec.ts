import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { envLines } from "../../release/environment";
import { ROLE_LABEL, STACK_LABEL } from "../../release/names";
import { LimitSettings } from "../../stacks/types";

/**
 * Replacement order, stated on every container, network, volume and image. pulumi-docker declares
 * docker_container delete-before-replace, and the engine follows the provider unless the program
 * sets the option itself, so no replacement is left to that default.
 */
/** The new resource is created (a container: healthy) before the old one is deleted. */
export const CREATE_FIRST = { deleteBeforeReplace: false } as const;
/** The old resource goes first: it has a fixed name or host port, or must never run twice. */
export const DELETE_FIRST = { deleteBeforeReplace: true } as const;

/** What every long-running container of the stack shares. */
export interface ContainerContext {
  /** Name of the stack's private network. */
  readonly network: pulumi.Input<string>;
  readonly stack: string;
  readonly limits: LimitSettings;
}

export function labels(stack: string, role: string, extra: Record<string, pulumi.Input<string>> = {}) {
  return Object.entries({ [STACK_LABEL]: stack, [ROLE_LABEL]: role, ...extra }).map(([label, value]) => ({
    label,
    value,
  }));
}

/** json-file logs with rotation, so a chatty container cannot fill the host's disk. */
export function logging(limits: LimitSettings) {
  return {
    logDriver: "json-file",
    logOpts: { "max-size": limits.logMaxSize, "max-file": String(limits.logMaxFiles) },
  };
}

export function shellHealthcheck(command: string, startPeriod = "10s"): docker.types.input.ContainerHealthcheck {
  return { tests: ["CMD-SHELL", command], interval: "5s", timeout: "3s", retries: 3, startPeriod };
}

/** The stack's private network, joined under the given aliases. */
export function stackNetwork(ctx: ContainerContext, aliases: pulumi.Input<string>[]): docker.types.input.ContainerNetworksAdvanced[] {
  return [{ name: ctx.network, aliases }];
}

/**
 * Restart policy, limits, logs, networks and health waiting: the part of a long-running
 * container's arguments that does not depend on its role.
 */
export function longRunning(ctx: ContainerContext, memoryMb: number, networks: docker.types.input.ContainerNetworksAdvanced[]) {
  return {
    restart: "unless-stopped",
    ...memoryLimit(memoryMb),
    cpus: ctx.limits.cpus,
    ...logging(ctx.limits),
    networksAdvanced: networks,
    // Creation completes only once the health check passes, so a replacement is serving
    // before the container it replaces is removed.
    wait: true,
    waitTimeout: 120,
  };
}

/**
 * A memory limit without swap. Stated as a pair because the daemon sets an unset swap limit to
 * twice the memory and the provider reads it back: left out, every update would show a diff.
 */
export function memoryLimit(memoryMb: number) {
  return { memory: memoryMb, memorySwap: memoryMb };
}

/** "KEY=value" list for `envs`; secret as a whole when any value is secret. */
export function envList(env: pulumi.Input<Record<string, pulumi.Input<string>>>): pulumi.Output<string[]> {
  return pulumi.output(env).apply(envLines);
}
