import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { docker } from "../engine/dockerCli";
import { RUN_LABEL } from "../engine/dockerEngineMocks";

/** The stand-ins scripts/build-base-images.sh builds for the public images. */
export const STAND_INS = {
  debian: "stand-in/debian:bookworm",
  nginx: "stand-in/nginx:1.22",
  redis: "stand-in/redis:7.0",
  registry: "stand-in/registry:2",
  postgres: "stand-in/postgres:15",
  haproxy: "stand-in/haproxy:2.6",
  mysql: "stand-in/mysql:8.0",
};

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The stand-in for a managed database: PostgreSQL in a container on a network of its own,
 * which the stack's app containers join through `dbNetwork`. Created by the test, not the program.
 */
export async function startDatabase(runId: string, name: string, password: string) {
  const labels = ["--label", `${RUN_LABEL}=${runId}`];
  const network = await docker(["network", "create", ...labels, `${name}-net`]);
  const container = await docker([
    "run", "-d", ...labels, "--name", name, "--network", `${name}-net`, "--network-alias", "postgres",
    "-e", "POSTGRES_USER=laravel", "-e", `POSTGRES_PASSWORD=${password}`, "-e", "POSTGRES_DB=laravel",
    STAND_INS.postgres,
  ]);
  for (let i = 0; i < 120; i++) {
    const ready = await docker(["exec", container, "pg_isready", "-h", "127.0.0.1", "-U", "laravel"]).then(() => true, () => false);
    if (ready) return { network: `${name}-net`, networkId: network, container, host: "postgres" };
    await sleep(500);
  }
  throw new Error(`PostgreSQL fixture ${name} did not become ready:\n${await docker(["logs", container]).catch(String)}`);
}

export async function stopDatabase(db: { networkId: string; container: string } | undefined): Promise<void> {
  if (!db) return;
  await docker(["rm", "-f", "-v", db.container]).catch(() => undefined);
  await docker(["network", "rm", db.networkId]).catch(() => undefined);
}

/**
 * A local `.env` holding a canary secret, as developers keep one: the build must leave it out.
 * Returns a function that restores whatever was there before.
 */
export function plantDotEnv(appDir: string, canary: string): () => void {
  const file = path.join(appDir, ".env");
  const before = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  fs.writeFileSync(file, `APP_KEY=${canary}\nDB_PASSWORD=${canary}\n`);
  return () => (before ? fs.writeFileSync(file, before) : fs.rmSync(file, { force: true }));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}
