import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { MIGRATION_LABEL, RELEASE_LABEL } from "../../release/names";
import { ConfigFile, Mount, ReleaseImage, SharedVolume } from "../../release/roles";
import { ContainerContext, labels, stackNetwork } from "../docker/containerSpec";

/** What the containers of one release share on a Docker host. */
export interface ReleaseRuntime {
  readonly ctx: ContainerContext;
  /** The release images, by digest. */
  readonly images: Readonly<Record<ReleaseImage, pulumi.Input<string>>>;
  /** The app environment as "KEY=value" lines, secret. */
  readonly appEnv: pulumi.Input<pulumi.Input<string>[]>;
  /** Docker volume of each shared volume. */
  readonly volumes: Readonly<Record<SharedVolume, pulumi.Input<string>>>;
  /** Existing networks the app containers also join (the database's). */
  readonly extraNetworks: readonly string[];
  /**
   * Resolves once this release's migration has succeeded. App containers carry it in a label,
   * so none of them is created before the migration has run, or at all if it failed.
   */
  readonly migrated?: pulumi.Input<string>;
}

export function releaseLabels(rt: ReleaseRuntime, role: string, release: string, withMigration: boolean) {
  const extra: Record<string, pulumi.Input<string>> = { [RELEASE_LABEL]: release };
  if (withMigration && rt.migrated !== undefined) extra[MIGRATION_LABEL] = rt.migrated;
  return labels(rt.ctx.stack, role, extra);
}

/** The stack network under `aliases`, plus the extra networks for app containers. */
export function releaseNetworks(rt: ReleaseRuntime, aliases: readonly string[], appContainer: boolean): docker.types.input.ContainerNetworksAdvanced[] {
  const extra = appContainer ? rt.extraNetworks.map((name) => ({ name })) : [];
  return [...stackNetwork(rt.ctx, [...aliases]), ...extra];
}

/** A role's files as the container's uploads. */
export function releaseUploads(files: readonly ConfigFile[]): docker.types.input.ContainerUpload[] {
  return files.map((f) => ({ file: f.path, content: f.content }));
}

/** A role's mounts as the container's volumes. */
export function releaseVolumes(rt: ReleaseRuntime, mounts: readonly Mount[]): docker.types.input.ContainerVolume[] {
  return mounts.map((m) => ({ volumeName: rt.volumes[m.volume], containerPath: m.path, readOnly: m.readOnly }));
}
