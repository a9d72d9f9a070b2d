/** docker.Network and docker.Volume, as the provider creates them (Engine API). */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Created, EngineContext } from "./context";
import { engine } from "./dockerApi";
import { autoname, labelMap, onlyKnown } from "./inputs";
import { RUN_LABEL } from "./ledger";

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

  const n = await engine("GET", `/networks/${Id}`);
  const ipam = (n.IPAM?.Config ?? []).map((c: any) => ({ subnet: c.Subnet, ipRange: c.IPRange, gateway: c.Gateway }));
  return {
    id: Id,
    outputs: { name, driver: n.Driver, scope: n.Scope, internal: n.Internal, ipamDriver: n.IPAM?.Driver, ipamConfigs: ipam },
  };
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
