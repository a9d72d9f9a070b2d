/**
 * A tiny client for the Docker Engine API over its unix socket: the same API the docker
 * provider talks to, so a container's configuration can be sent field for field (health checks
 * in exec form, mounts with options, uploads as a tar archive) instead of through CLI flags.
 */
import * as http from "node:http";

function socketPath(): string {
  const host = process.env.DOCKER_HOST;
  if (!host) return "/var/run/docker.sock";
  if (host.startsWith("unix://")) return host.slice("unix://".length);
  throw new Error(`engine mocks: DOCKER_HOST=${host} is not supported (only unix:// sockets)`);
}

export class EngineError extends Error {
  constructor(
    readonly status: number,
    request: string,
    detail: string,
  ) {
    super(`Docker engine: ${request} -> HTTP ${status}: ${detail}`);
  }
}

export interface RawRequest {
  body?: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Another engine's socket path (a swarm node), instead of DOCKER_HOST's. */
  socket?: string;
  /** Aborts the request (a wait with a deadline). */
  signal?: AbortSignal;
}

/** One request; resolves with the status and the whole response body (no status check). */
export function engineRaw(method: string, path: string, req: RawRequest = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers["Content-Type"] = req.contentType ?? "application/json";
    const call = http.request({ socketPath: req.socket ?? socketPath(), method, path, headers, signal: req.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    call.on("error", (e) => reject(new Error(`Docker engine: ${method} ${path}: ${e.message}`)));
    call.end(req.body);
  });
}

/** A JSON request; throws EngineError (with the daemon's message) for any status >= 400. */
export async function engine<T = any>(method: string, path: string, json?: unknown, req: RawRequest = {}): Promise<T> {
  const body = json === undefined ? req.body : JSON.stringify(json);
  const res = await engineRaw(method, path, { ...req, body });
  const text = res.body.toString("utf8");
  if (res.status >= 400) {
    let detail = text.trim();
    try {
      detail = JSON.parse(text).message ?? detail;
    } catch {
      /* not JSON: keep the text */
    }
    throw new EngineError(res.status, `${method} ${path}`, detail);
  }
  try {
    return (text.trim() === "" ? undefined : JSON.parse(text)) as T;
  } catch {
    return text as T; // a few endpoints answer plain text ("OK")
  }
}

/** `filters` query parameter of the list endpoints. */
export function filters(f: Record<string, string[]>): string {
  return encodeURIComponent(JSON.stringify(f));
}

/** Splits a non-TTY container log stream (8-byte frame headers) into plain text. */
export function demuxLogs(buf: Buffer): string {
  let out = "";
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString("utf8");
    i += 8 + size;
  }
  return out;
}
