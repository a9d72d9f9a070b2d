import { execFileSync } from "child_process";
import { ROLE_LABEL, STACK_LABEL } from "../../release/names";
import { docker } from "../engine/dockerCli";
import { waitFor } from "./fixtures";

export { ROLE_LABEL, STACK_LABEL };

export interface ContainerInfo {
  id: string;
  name: string;
  role: string;
  hostname: string;
  running: boolean;
  exitCode: number;
  labels: Record<string, string>;
  ports: { hostIp: string; hostPort: string }[];
  env: string[];
}

/** Every container of the stack (running or not), by role label. */
export async function stackContainers(stack: string): Promise<ContainerInfo[]> {
  const ids = (await docker(["ps", "-aq", "--filter", `label=${STACK_LABEL}=${stack}`])).split("\n").filter(Boolean);
  if (ids.length === 0) return [];
  const inspected = JSON.parse(await docker(["inspect", ...ids])) as any[];
  return inspected.map((c) => ({
    id: c.Id,
    name: c.Name.replace(/^\//, ""),
    role: c.Config.Labels[ROLE_LABEL],
    hostname: c.Config.Hostname,
    running: c.State.Running,
    exitCode: c.State.ExitCode,
    labels: c.Config.Labels,
    ports: Object.values(c.HostConfig.PortBindings ?? {}).flat().map((b: any) => ({ hostIp: b.HostIp, hostPort: b.HostPort })),
    env: c.Config.Env ?? [],
  }));
}

export const withRole = (all: ContainerInfo[], role: string) => all.filter((c) => c.role === role);

/** Runs redis-cli in a container of the set (REDISCLI_AUTH is in its environment). */
export function redisCli(container: string, port: number, ...args: string[]): Promise<string> {
  return docker(["exec", container, "redis-cli", "-p", String(port), ...args]);
}

/** The master a sentinel currently reports, as "host:port". */
export async function sentinelMaster(sentinel: string, service: string): Promise<string> {
  const [host, port] = (await redisCli(sentinel, 26379, "sentinel", "get-master-addr-by-name", service)).split("\n");
  return `${host}:${port}`;
}

/** A container's stdout and stderr together (php-fpm and nginx log to stderr). */
export async function containerLogs(id: string): Promise<string> {
  return execFileSync("docker", ["logs", id], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 })
    + execFileSync("sh", ["-c", `docker logs ${id} 2>&1 >/dev/null`], { encoding: "utf8", maxBuffer: 64 << 20 });
}

/**
 * Starts a stopped Redis data node and returns the role of its first answer: "slave" when it
 * came back as a replica before taking any command.
 */
export async function startAndFirstRole(container: string): Promise<string> {
  await docker(["start", container]);
  return waitFor("the node to answer", 30_000, async () => {
    const info = await redisCli(container, 6379, "info", "replication").catch(() => "");
    return info.match(/role:(\w+)/)?.[1];
  }, 100);
}
