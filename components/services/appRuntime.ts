import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ContainerContext, labels, RELEASE_LABEL, stackNetwork } from "../docker/containerSpec";

/** Label carrying the migration's outcome; containers that read it start after the migration. */
export const MIGRATION_LABEL = "php-backend.migration";
export const APP_DIR_IN_IMAGE = "/var/www/app";

/** What every container started from the backend image shares. */
export interface AppRuntime {
  readonly ctx: ContainerContext;
  /** Backend image by digest. */
  readonly image: pulumi.Input<string>;
  /** "KEY=value" environment, secret. */
  readonly env: pulumi.Input<pulumi.Input<string>[]>;
  /** Backend release version. */
  readonly release: string;
  /** Extra existing networks to join (e.g. the database's). */
  readonly extraNetworks: readonly string[];
  /**
   * Resolves once this release's migration has succeeded. Release services put it in a label,
   * so none of them is created before the migration has run, or at all if it failed.
   */
  readonly migrated?: pulumi.Input<string>;
}

export function appLabels(rt: AppRuntime, role: string) {
  const extra: Record<string, pulumi.Input<string>> = { [RELEASE_LABEL]: rt.release };
  if (rt.migrated !== undefined) extra[MIGRATION_LABEL] = rt.migrated;
  return labels(rt.ctx.stack, role, extra);
}

/** The stack network with the given aliases, plus the extra networks. */
export function appNetworks(rt: AppRuntime, aliases: string[]): docker.types.input.ContainerNetworksAdvanced[] {
  return [...stackNetwork(rt.ctx, aliases), ...rt.extraNetworks.map((name) => ({ name }))];
}
