/** docker.Network and docker.Volume, as the provider creates them (Engine API). */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Created, EngineContext } from "./context";
import { engine } from "./dockerApi";
import { autoname, labelMap, onlyKnown } from "./inputs";
import { RUN_LABEL } from "./ledger";
import { waitForState } from "./stateChange";

type NetworkIn = pulumi.Unwrap<docker.NetworkArgs>;
type VolumeIn = pulumi.Unwrap<docker.VolumeArgs>;

const NETWORK_INPUTS = [
  "name", "driver", "options", "internal", "attachable", "ingress", "ipv6",
  "ipamDriver", "ipamOptions", "ipamConfigs", "labels",
];

export async function createNetwork(ctx: EngineContext, resourceName: string, i: NetworkIn): Promise<Created> {
  const where = `Network "${resourceName}"`;
  onlyKnown(where, i, NETWORK_INPUTS);
  const name = i.name ?? autoname(resourceName);
  const ipamConfigs = (i.ipamConfigs ?? []).map((c, n) => {
    onlyKnown(`${where} ipamConfigs[${n}]`, c, ["subnet", "ipRange", "gateway", "auxAddress"]);
    return { Subnet: c.subnet, IPRange: c.ipRange, Gateway: c.gateway, AuxiliaryAddresses: c.auxAddress };
  });
  const { Id } = await engine<{ Id: string }>("POST", "/networks/create", {
    Name: name,
    CheckDuplicate: true,
    Driver: i.driver,
    Options: i.options,
    Internal: i.internal ?? false,
    Attachable: i.attachable ?? false,
    Ingress: i.ingress ?? false,
    EnableIPv6: i.ipv6 ?? false,
    IPAM: { Driver: i.ipamDriver ?? "default", Options: i.ipamOptions, Config: ipamConfigs },
    Labels: { ...labelMap(`${where} labels`, i.labels), [RUN_LABEL]: ctx.runId },
  });
  ctx.ledger.add("network", Id);

  const state = await readNetwork(Id, { ...i, name });
  return {
    id: Id,
    outputs: { name, driver: state.driver, options: state.options, scope: state.scope, internal: state.internal, ipamDriver: state.ipamDriver, ipamConfigs: state.ipamConfigs },
    state,
  };
}

/**
 * resource_docker_network_funcs.go resourceDockerNetworkRead (after create): StateChangeConf with
 * Delay 2 s, MinTimeout 5 s, Timeout 30 s around resourceDockerNetworkReadRefreshFunc, which sets
 * name, labels, driver, internal, attachable, ingress, ipv6, ipam_driver, ipam_options, scope,
 * options (pending while an "overlay"-scoped network shows none; the daemon says "swarm" for an
 * overlay network, so its options are taken at once) and ipam_config (flattenIpamConfigSpec).
 * The options come back with the driver's own, e.g. an overlay network's
 * com.docker.network.driver.overlay.vxlanid_list: a program that sets options on an overlay
 * network differs from that state on every run (options is ForceNew: a replacement).
 */
async function readNetwork(id: string, planned: Record<string, unknown>): Promise<Record<string, unknown>> {
  let state: Record<string, unknown> = {};
  await waitForState({
    pending: ["pending"],
    target: ["all_fields", "removed"],
    timeoutMs: 30_000,
    minTimeoutMs: 5_000,
    delayMs: 2_000,
    refresh: async () => {
      const n = await engine("GET", `/networks/${id}`).catch(() => undefined);
      if (!n) throw new Error(`network ${id} was gone when the provider read it back`);
      if (n.Scope === "overlay" && Object.keys(n.Options ?? {}).length === 0) return { result: id, state: "pending" };
      state = {
        ...planned,
        name: n.Name,
        labels: Object.entries<string>(n.Labels ?? {}).filter(([k]) => k !== RUN_LABEL).map(([label, value]) => ({ label, value })),
        driver: n.Driver,
        internal: n.Internal,
        attachable: n.Attachable,
        ingress: n.Ingress,
        ipv6: n.EnableIPv6,
        ipamDriver: n.IPAM?.Driver,
        ipamOptions: n.IPAM?.Options ?? undefined,
        scope: n.Scope,
        options: n.Options ?? undefined,
        ipamConfigs: (n.IPAM?.Config ?? []).map((c: any) => {
          const m: Record<string, unknown> = {};
          if (c.Subnet) m.subnet = c.Subnet;
          if (c.IPRange) m.ipRange = c.IPRange;
          if (c.Gateway) m.gateway = c.Gateway;
          if (Object.keys(c.AuxiliaryAddresses ?? {}).length > 0) m.auxAddress = { ...c.AuxiliaryAddresses };
          return m;
        }),
      };
      return { result: id, state: "all_fields" };
    },
  });
  return state;
}

/**
 * resourceDockerNetworkDelete: StateChangeConf (Delay 2 s, MinTimeout 5 s, Timeout 30 s) around
 * resourceDockerNetworkRemoveRefreshFunc: gone -> removed; NetworkRemove; "has active endpoints"
 * -> pending (try again); any other error ends the delete with it.
 */
export async function deleteNetwork(id: string): Promise<void> {
  await waitForState({
    pending: ["pending"],
    target: ["removed"],
    timeoutMs: 30_000,
    minTimeoutMs: 5_000,
    delayMs: 2_000,
    refresh: async () => {
      const exists = await engine("GET", `/networks/${id}`).then(() => true, () => false);
      if (!exists) return { result: id, state: "removed" };
      try {
        await engine("DELETE", `/networks/${id}`);
      } catch (e) {
        if (/has active endpoints/i.test((e as Error).message)) return { result: id, state: "pending" };
        throw e;
      }
      return { result: id, state: "removed" };
    },
  });
}

export async function createVolume(ctx: EngineContext, resourceName: string, i: VolumeIn): Promise<Created> {
  const where = `Volume "${resourceName}"`;
  onlyKnown(where, i, ["name", "driver", "driverOpts", "labels"]);
  const name = i.name ?? autoname(resourceName);
  // The daemon would silently hand back an existing volume; teardown would then delete it.
  const existing = await engine("GET", `/volumes/${encodeURIComponent(name)}`).catch(() => undefined);
  if (existing) throw new Error(`${where}: volume "${name}" already exists; the engine mocks will not adopt it`);
  const v = await engine("POST", "/volumes/create", {
    Name: name,
    Driver: i.driver ?? "local",
    DriverOpts: i.driverOpts,
    Labels: { ...labelMap(`${where} labels`, i.labels), [RUN_LABEL]: ctx.runId },
  });
  ctx.ledger.add("volume", v.Name);
  return { id: v.Name, outputs: { name: v.Name, driver: v.Driver, mountpoint: v.Mountpoint } };
}
