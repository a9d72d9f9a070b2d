/**
 * docker.Service: create, update and delete as terraform-provider-docker v4.5.0 does them,
 * internal/provider/resource_docker_service_funcs.go:
 * - resourceDockerServiceCreate: ServiceCreate; with converge_config, wait (StateChangeConf:
 *   Pending serviceCreatePendingStates, Target running/complete, Delay converge_config.delay,
 *   MinTimeout 5 s, Timeout converge_config.timeout) until as many tasks run as replicas; if that
 *   fails the service is deleted again and the error is "Service with ID (<id>) did not converge
 *   after <timeout>" (a timeout) or the refresh's error; then the read.
 * - resourceDockerServiceUpdate: ServiceUpdate with the version just inspected; with
 *   converge_config, wait (Pending creating/updating, Target completed, Delay 7 s - not the
 *   configured one -, MinTimeout 5 s) on UpdateStatus: completed -> done, rollback_completed ->
 *   "service rollback completed: <message>", paused -> "service update paused: <message>",
 *   rollback_paused -> "service rollback paused: <message>", else count the tasks (a rollback that
 *   has all replicas running is "service rollback completed" too); then the read.
 * - resourceDockerServiceRead (after both): Delay 2 s, MinTimeout 5 s, Timeout 30 s, pending until
 *   an endpoint mode shows; the state is serviceReadBack's.
 * - deleteService: with a stop_grace_period other than "0s", the service's containers are
 *   collected first, then ServiceRemove, then each is waited for (condition "removed", at most the
 *   grace period) and removed with force, on the provider's host, "No such container" ignored.
 * replicatedConsoleLogUpdater.update needs a replica count ("no replica count" otherwise): a
 * converge on a global service fails. The schema refuses it earlier anyway (ConflictsWith).
 */
import { Created, EngineContext } from "./context";
import { engine, engineRaw } from "./dockerApi";
import { activeNodes, inspectService, serviceCreate, serviceUpdate, taskList } from "./serviceClient";
import { serviceReadBack } from "./serviceReadBack";
import { plannedFields, SERVICE_SCHEMA } from "./serviceSchema";
import { checkService, serviceSpecBody } from "./serviceSpec";
import { goDurationString, waitForState } from "./stateChange";
import { durationNs } from "./inputs";

type O = Record<string, any>;
const ms = (d: string) => durationNs("duration", d)! / 1e6;

/** resource_docker_service_funcs.go numberedStates. */
const NUMBERED: Record<string, number> = {
  new: 1, allocated: 2, pending: 3, assigned: 4, accepted: 5, preparing: 6, ready: 7, starting: 8, running: 9,
  complete: 10, shutdown: 11, failed: 12, rejected: 13,
};
const terminal = (s: string) => (NUMBERED[s] ?? 0) > NUMBERED.running;

/** replicatedConsoleLogUpdater.update (a fresh updater on every refresh): all replicas running? */
export function replicasRunning(svc: O, tasks: O[], active: Set<string>): boolean {
  const replicas = svc.Spec?.Mode?.Replicated?.Replicas;
  if (replicas === undefined || replicas === null) throw new Error("no replica count");
  // tasksBySlot: per slot, the task with the lowest desired state, then the lowest observed state.
  const bySlot = new Map<number, O>();
  for (const t of tasks) {
    const [desired, observed] = [NUMBERED[t.DesiredState] ?? 0, NUMBERED[t.Status?.State] ?? 0];
    if (desired === 0 || observed === 0) continue;
    const existing = bySlot.get(t.Slot ?? 0);
    if (existing) {
      const ed = NUMBERED[existing.DesiredState];
      if (ed < desired) continue;
      if (ed === desired && NUMBERED[existing.Status.State] <= observed) continue;
    }
    if (t.NodeID && !active.has(t.NodeID)) continue;
    bySlot.set(t.Slot ?? 0, t);
  }
  const running = [...bySlot.values()].filter((t) => !terminal(t.DesiredState) && t.Status?.State === "running").length;
  return running === replicas;
}

async function tasksAndNodes(id: string) {
  return { tasks: await taskList({ service: [id], "desired-state": ["running"] }), active: await activeNodes() };
}

/** resourceDockerServiceCreateRefreshFunc. */
async function createRefresh(id: string) {
  const svc = await inspectService(id);
  const { tasks, active } = await tasksAndNodes(id);
  return { result: svc.ID as string, state: replicasRunning(svc, tasks, active) ? "running" : "creating" };
}

/** resourceDockerServiceUpdateRefreshFunc. */
async function updateRefresh(id: string) {
  const svc = await inspectService(id);
  const status = svc.UpdateStatus;
  let rollback = false;
  switch (status?.State) {
    case "completed":
      return { result: svc.ID as string, state: "completed" };
    case "rollback_started":
      rollback = true;
      break;
    case "rollback_completed":
      throw new Error(`service rollback completed: ${status.Message ?? ""}`);
    case "paused":
      throw new Error(`service update paused: ${status.Message ?? ""}`);
    case "rollback_paused":
      throw new Error(`service rollback paused: ${status.Message ?? ""}`);
  }
  const { tasks, active } = await tasksAndNodes(id);
  if (replicasRunning(svc, tasks, active)) {
    if (rollback) throw new Error(`service rollback completed: ${status.Message ?? ""}`);
    return { result: svc.ID as string, state: "completed" };
  }
  return { result: svc.ID as string, state: "updating" };
}

/** The converge error: a timeout becomes DidNotConvergeError, anything else stays. */
function convergeError(id: string, timeout: string, err: Error): Error {
  if (err.message.toLowerCase().includes("timeout while waiting for state")) {
    return new Error(`Service with ID (${id}) did not converge after ${goDurationString(ms(timeout))}`);
  }
  return err;
}

/** resourceDockerServiceRead: the state once the daemon shows an endpoint mode. */
async function readService(id: string, plan: O): Promise<O> {
  let state: O | undefined;
  await waitForState({
    pending: ["pending"],
    target: ["all_fields", "removed"],
    timeoutMs: 30_000,
    minTimeoutMs: 5_000,
    delayMs: 2_000,
    refresh: async () => {
      const list = await engine<O[]>("GET", "/services");
      const found = list.find((s) => s.ID === id || s.Spec?.Name === plan.name);
      if (!found) return { result: id, state: "removed" };
      const read = serviceReadBack(await inspectService(found.ID), plan);
      state = read.state;
      return { result: id, state: read.pending ? "pending" : "all_fields" };
    },
  });
  if (!state) throw new Error(`service ${id} was gone when the provider read it back`);
  return state;
}

/** deleteService. `stopGracePeriod`: d.Get("task_spec.0.container_spec.0.stop_grace_period"). */
export async function deleteService(id: string, name: string, stopGracePeriod: string | undefined): Promise<void> {
  const grace = stopGracePeriod && stopGracePeriod !== "0s" ? ms(stopGracePeriod) : undefined;
  const containers: string[] = [];
  if (grace !== undefined) {
    for (const t of await taskList({ service: [name] })) {
      const task = await engine<O>("GET", `/tasks/${t.ID}`).catch(() => ({}) as O);
      const cid = String(task.Status?.ContainerStatus?.ContainerID ?? "").trim();
      if (cid !== "" && task.Status?.State !== "shutdown") containers.push(cid);
    }
  }
  await engine("DELETE", `/services/${id}`).catch((e: Error) => {
    throw new Error(`Error deleting service with ID '${id}': ${e.message}`);
  });
  for (const cid of containers) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), grace);
    try {
      const res = await engineRaw("POST", `/containers/${cid}/wait?condition=removed`, { signal: abort.signal }).catch((e: Error) => {
        if (abort.signal.aborted) throw new Error(`error on wait for container with ID '${cid}': context deadline exceeded`);
        throw e;
      });
      const text = res.body.toString("utf8");
      const message = res.status >= 400 ? text : JSON.parse(text || "{}").Error?.Message;
      if (message && !/no such container/i.test(message)) throw new Error(`failed to wait for container with ID '${cid}': '${message}'`);
    } finally {
      clearTimeout(timer);
    }
    await engine("DELETE", `/containers/${cid}?force=true&v=true`).catch((e: Error) => {
      if (!/no such container|is already in progress/i.test(e.message)) throw new Error(`Error deleting container with ID '${cid}': ${e.message}`);
    });
  }
}

export async function createService(ctx: EngineContext, resourceName: string, i: O): Promise<Created> {
  const where = `Service "${resourceName}"`;
  checkService(where, i);
  const plan = plannedFields(SERVICE_SCHEMA, {}, i) as O;
  const id = await serviceCreate(serviceSpecBody(plan.name, plan, ctx.runId));
  ctx.ledger.add("service", id);
  if (plan.convergeConfig) {
    const cc = plan.convergeConfig;
    ctx.log(`${where}: waiting for service ${id} to converge (timeout ${cc.timeout})`);
    await waitForState({
      pending: ["new", "allocated", "pending", "assigned", "accepted", "preparing", "ready", "starting", "creating", "paused"],
      target: ["running", "complete"],
      refresh: () => createRefresh(id),
      timeoutMs: ms(cc.timeout),
      minTimeoutMs: 5_000,
      delayMs: ms(cc.delay),
    }).catch(async (err: Error) => {
      // "the service will be deleted in case it cannot be converged" (d: the config's grace period)
      await deleteService(id, plan.name, i.taskSpec?.containerSpec?.stopGracePeriod);
      throw convergeError(id, cc.timeout, err);
    });
  }
  const state = await readService(id, plan);
  return { id, outputs: state, state };
}

/** resourceDockerServiceUpdate: the new state (the read after the update). */
export async function updateService(ctx: EngineContext, resourceName: string, id: string, prior: O, inputs: O): Promise<O> {
  checkService(`Service "${resourceName}"`, inputs);
  const svc = await inspectService(id);
  const plan = plannedFields(SERVICE_SCHEMA, prior, inputs) as O;
  await serviceUpdate(id, svc.Version.Index, serviceSpecBody(plan.name, plan, ctx.runId));
  if (plan.convergeConfig) {
    const cc = plan.convergeConfig;
    await waitForState({
      pending: ["creating", "updating"],
      target: ["completed"],
      refresh: () => updateRefresh(id),
      timeoutMs: ms(cc.timeout),
      minTimeoutMs: 5_000,
      delayMs: 7_000,
    }).catch((err: Error) => {
      throw convergeError(id, cc.timeout, err);
    });
  }
  return readService(id, plan);
}
