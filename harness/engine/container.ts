/**
 * docker.Container's create, in the docker provider's order: ensure the image, create, move
 * to `networksAdvanced`, upload files, start, wait for health (`wait`), wait for exit
 * (`attach`), then its read: `mustRun` (default true) requires the container to be running,
 * which fails an `attach` container that has exited unless it sets `mustRun: false`.
 */
import { containerReadBack } from "./containerReadBack";
import { Created, EngineContext } from "./context";
import { ContainerIn, createBody, uploadFiles } from "./containerSpec";
import { demuxLogs, engine, engineRaw, EngineError } from "./dockerApi";
import { docker } from "./dockerCli";
import { autoname, mb, onlyKnown, required } from "./inputs";
import { withDefaults } from "./providerSchema";
import { tar } from "./tar";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The provider pulls the image only when the engine does not have it. */
export async function ensureImage(ctx: EngineContext, image: string): Promise<void> {
  const local = await engine("GET", `/images/${encodeURIComponent(image)}/json`).catch((e) => {
    if (e instanceof EngineError && e.status === 404) return undefined;
    throw e;
  });
  if (local) return;
  ctx.log(`pulling ${image}`);
  await docker(["pull", image]);
}

async function logs(id: string, tty: boolean, tail = "all"): Promise<string> {
  const res = await engineRaw("GET", `/containers/${id}/logs?stdout=true&stderr=true&tail=${tail}`);
  return tty ? res.body.toString("utf8") : demuxLogs(res.body);
}

/** `wait: true`: poll the health status until healthy, like the provider (no early exit). */
async function waitHealthy(where: string, id: string, timeoutSeconds: number): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const c = await engine("GET", `/containers/${id}/json`);
    const health = c.State.Health;
    if (!health) throw new Error(`${where}: wait: true requires a health check (the container has none)`);
    if (health.Status === "healthy") return;
    if (Date.now() > deadline) {
      const last = health.Log?.[health.Log.length - 1];
      const lastLog = last ? `exit ${last.ExitCode}: ${String(last.Output).trim()}` : "no check has run";
      throw new Error(
        `${where}: container failed to be in healthy state within ${timeoutSeconds}s ` +
          `(health ${health.Status}, state ${c.State.Status}; last check ${lastLog})\n` +
          `logs:\n${await logs(id, c.Config.Tty, "30")}`,
      );
    }
    await sleep(500);
  }
}

/** The provider's read after create: running, or `mustRun: false`, within the refresh timeout. */
async function waitRunning(where: string, id: string, mustRun: boolean, timeoutMs: number, startedAt: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await engine("GET", `/containers/${id}/json`).catch((e) => {
      if (e instanceof EngineError && e.status === 404) return undefined; // gone (rm: true): the provider forgets it
      throw e;
    });
    if (!c || c.State.Running || !mustRun) return c;
    if (Date.parse(c.State.FinishedAt) >= startedAt - 1000 || Date.now() > deadline) {
      const output = await logs(id, c.Config.Tty, "30");
      await engine("DELETE", `/containers/${id}?force=true&v=true`); // the provider deletes it too
      throw new Error(
        `${where}: container failed to be in running state (state ${c.State.Status}, exit code ` +
          `${c.State.ExitCode}); mustRun defaults to true, a one-shot container needs mustRun: false\n` +
          `logs:\n${output}`,
      );
    }
    await sleep(100);
  }
}

function networks(where: string, list: ContainerIn["networksAdvanced"]) {
  return (list ?? []).map((n, k) => {
    const w = `${where} networksAdvanced[${k}]`;
    onlyKnown(w, n, ["name", "aliases", "ipv4Address", "ipv6Address"]);
    return {
      name: required(`${w}.name`, n.name),
      endpoint: { Aliases: n.aliases, IPAMConfig: { IPv4Address: n.ipv4Address, IPv6Address: n.ipv6Address } },
    };
  });
}

export async function createContainer(ctx: EngineContext, resourceName: string, i: ContainerIn): Promise<Created> {
  const where = `Container "${resourceName}"`;
  // Validate everything before touching the engine.
  const body = createBody(where, i, ctx.runId);
  const files = uploadFiles(where, i.uploads, ctx.cwd);
  const nets = networks(where, i.networksAdvanced);
  const start = i.start ?? true;
  const mustRun = i.mustRun ?? true;
  if (!start && mustRun) throw new Error(`${where}: start: false needs mustRun: false`);

  const name = i.name ?? autoname(resourceName);
  await ensureImage(ctx, body.Image);
  const { Id: id } = await engine<{ Id: string }>("POST", `/containers/create?name=${encodeURIComponent(name)}`, body);
  ctx.ledger.add("container", id);

  if (nets.length > 0) {
    await engine("POST", "/networks/bridge/disconnect", { Container: id }).catch((e: Error) => {
      if (!/is not connected/.test(e.message)) throw e;
    });
    for (const n of nets) {
      await engine("POST", `/networks/${encodeURIComponent(n.name)}/connect`, { Container: id, EndpointConfig: n.endpoint });
    }
  }
  if (files.length > 0) {
    await engine("PUT", `/containers/${id}/archive?path=%2F`, undefined, { body: tar(files), contentType: "application/x-tar" });
  }

  const startedAt = Date.now();
  if (start) {
    await engine("POST", `/containers/${id}/start`);
    if (i.wait) await waitHealthy(where, id, i.waitTimeout ?? 60);
  }
  let containerLogs: string | undefined;
  if (i.attach) {
    await engine("POST", `/containers/${id}/wait?condition=not-running`);
    if (i.logs) containerLogs = await logs(id, body.Tty);
  }

  const c = await waitRunning(where, id, mustRun, i.containerReadRefreshTimeoutMilliseconds || 15000, startedAt);
  if (!c) return { id, outputs: { name, containerLogs } };
  const state = { ...containerReadBack(c, { ...i, name }), containerLogs };
  const networkDatas = Object.entries<any>(c.NetworkSettings?.Networks ?? {}).map(([networkName, n]) => ({
    networkName,
    ipAddress: n.IPAddress,
    ipPrefixLength: n.IPPrefixLen,
    gateway: n.Gateway,
    globalIpv6Address: n.GlobalIPv6Address,
    globalIpv6PrefixLength: n.GlobalIPv6PrefixLen,
    ipv6Gateway: n.IPv6Gateway,
    macAddress: n.MacAddress,
  }));
  return {
    id,
    outputs: {
      name: String(c.Name).replace(/^\//, ""),
      exitCode: c.State.Running ? undefined : c.State.ExitCode,
      containerLogs,
      networkDatas,
      bridge: c.NetworkSettings?.Bridge,
    },
    state,
  };
}

/** Fields resourceDockerContainerUpdate sends with one ContainerUpdate when any of them changed. */
const RESOURCE_FIELDS = ["restart", "maxRetryCount", "cpuShares", "memory", "memoryReservation", "cpuSet", "memorySwap"];

/**
 * docker.Container's in-place update: terraform-provider-docker v4.5.0,
 * resource_docker_container_funcs.go, resourceDockerContainerUpdate. must_run false -> true starts
 * the container; a change to a resource field sends the restart policy and resources as planned.
 * Nothing else reaches the container (a new healthcheck, wait or destroyGraceSeconds is only
 * stored), and the state is the plan: the provider does not read the container back.
 */
export async function updateContainer(id: string, prior: Record<string, unknown>, inputs: Record<string, unknown>, fields: readonly string[]) {
  const planned = withDefaults("docker:index/container:Container", inputs) as any;
  if (fields.includes("mustRun") && prior.mustRun === false && planned.mustRun && planned.start) {
    await engine("POST", `/containers/${id}/start`);
  }
  if (fields.some((f) => RESOURCE_FIELDS.includes(f))) {
    const swap = planned.memorySwap;
    await engine("POST", `/containers/${id}/update`, {
      RestartPolicy: { Name: planned.restart, MaximumRetryCount: planned.maxRetryCount ?? 0 },
      CpuShares: planned.cpuShares ?? 0,
      Memory: mb(planned.memory ?? 0),
      MemoryReservation: mb(planned.memoryReservation ?? 0),
      CpusetCpus: planned.cpuSet ?? "",
      ...(swap ? { MemorySwap: swap > 0 ? mb(swap) : swap } : {}),
    });
  }
  const state = { ...prior };
  for (const f of fields) state[f] = planned[f];
  return state;
}
