/**
 * Looking into a stack deployed on the swarm from outside, through the manager: its services,
 * their tasks (where they run, what failed), and a running task's container on a given node.
 */
import { docker } from "../engine/dockerCli";
import { ROLE_LABEL, STACK_LABEL } from "./stackInspection";

export interface ServiceInfo {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly image: string;
  readonly updateState?: string;
  /** The whole `docker service inspect` document. */
  readonly raw: any;
}

export async function stackServices(stack: string): Promise<ServiceInfo[]> {
  const ids = (await docker(["service", "ls", "-q", "--filter", `label=${STACK_LABEL}=${stack}`])).split("\n").filter(Boolean);
  if (ids.length === 0) return [];
  const all = JSON.parse(await docker(["service", "inspect", ...ids]));
  return all.map((s: any) => ({
    id: s.ID, name: s.Spec.Name, role: s.Spec.Labels?.[ROLE_LABEL], image: s.Spec.TaskTemplate.ContainerSpec.Image,
    updateState: s.UpdateStatus?.State, raw: s,
  }));
}

export interface TaskInfo {
  readonly id: string;
  /** Swarm node id (every local node has the same host name). */
  readonly nodeId: string;
  /** running, shutdown, ... */
  readonly desired: string;
  /** new, starting, running, complete, failed, rejected, shutdown, ... */
  readonly state: string;
  readonly error: string;
  readonly image: string;
}

/** Every task of a service the manager still remembers (current and history). */
export async function serviceTasks(service: string): Promise<TaskInfo[]> {
  const ids = (await docker(["service", "ps", "-q", "--no-trunc", service])).split("\n").filter(Boolean);
  if (ids.length === 0) return [];
  return JSON.parse(await docker(["inspect", ...ids])).map((t: any) => ({
    id: t.ID, nodeId: t.NodeID ?? "", desired: t.DesiredState, state: t.Status.State, error: t.Status.Err ?? "", image: t.Spec.ContainerSpec.Image,
  }));
}

/** Running task containers of `service` on the engine at `host` (a node's socket). */
export async function taskContainers(service: string, host = "unix:///var/run/docker.sock"): Promise<string[]> {
  const out = await docker(["-H", host, "ps", "-q", "--filter", `label=com.docker.swarm.service.name=${service}`]);
  return out.split("\n").filter(Boolean);
}
