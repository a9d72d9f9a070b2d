/**
 * Looking into a deployed app from outside, without changing it: a request over HTTPS that
 * trusts the test's own certificate, real `curl`, and a probe script dropped into the running
 * containers (never into the app's source) that answers through the real nginx → php-fpm path.
 */
import { execFile } from "child_process";
import * as https from "https";
import { docker } from "../engine/dockerCli";
import { ContainerInfo, withRole } from "./stackInspection";

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** GET `url` (https://localhost:port/...) on 127.0.0.1, trusting `ca`. */
export function httpsGet(url: string, ca: string, timeoutMs = 5000): Promise<Reply> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: "127.0.0.1", port: u.port, path: u.pathname + u.search, servername: u.hostname, headers: { host: u.host }, ca, agent: false, timeout: timeoutMs },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

/** Real `curl` with `args`; resolves with its exit code, the response head and the body. */
export function curl(args: readonly string[]): Promise<{ code: number; head: string; body: string }> {
  return new Promise((resolve) => {
    execFile("curl", ["-sS", "--max-time", "10", "-D", "-", ...args], { encoding: "utf8" }, (err, stdout, stderr) => {
      const code = err ? Number((err as NodeJS.ErrnoException & { code?: number }).code ?? 1) : 0;
      const split = stdout.indexOf("\r\n\r\n");
      resolve({ code, head: split < 0 ? stdout + stderr : stdout.slice(0, split), body: split < 0 ? "" : stdout.slice(split + 4) });
    });
  });
}

export const PROBE_PATH = "/e2e-probe.php";

/**
 * What the probe answers, booting the app as its own index.php does (same autoloader, same
 * bootstrap, the release's cached config):
 *   ?op=request          what Laravel sees of the request: https or not, the client's address, the
 *                        scheme and host it builds URLs from, a URL it builds (under this script)
 *   ?op=put&key=K&value=V  Cache::put through the app's cache store; ?op=get&key=K reads it back
 *   ?op=migrations       the rows of the migrations table
 *   ?op=dispatch&key=K   queues a closure that writes K into the cache from the worker that runs it
 *   ?op=upload&path=P&value=V  writes V to the public disk; answers its URL
 */
const PROBE = String.raw`<?php
require __DIR__.'/../vendor/autoload.php';
$app = require_once __DIR__.'/../bootstrap/app.php';
$app->make(Illuminate\Contracts\Console\Kernel::class)->bootstrap();
$request = Illuminate\Http\Request::capture();
$app->instance('request', $request);
app('url')->setRequest($request);
header('Content-Type: application/json');
try {
    switch ($request->query('op')) {
        case 'request':
            $out = ['secure' => $request->isSecure(), 'ip' => $request->ip(), 'root' => $request->getSchemeAndHttpHost(), 'url' => url('/probed'), 'host' => gethostname()];
            break;
        case 'put':
            Illuminate\Support\Facades\Cache::put($request->query('key'), $request->query('value'), 600);
            $out = ['ok' => true];
            break;
        case 'get':
            $out = ['value' => Illuminate\Support\Facades\Cache::get($request->query('key'))];
            break;
        case 'migrations':
            $out = Illuminate\Support\Facades\DB::table('migrations')->orderBy('id')->get(['migration', 'batch']);
            break;
        case 'dispatch':
            $key = $request->query('key');
            dispatch(function () use ($key) {
                Illuminate\Support\Facades\Cache::put($key, gethostname(), 600);
            });
            $out = ['queued' => true];
            break;
        case 'upload':
            $disk = Illuminate\Support\Facades\Storage::disk('public');
            $disk->put($request->query('path'), $request->query('value'));
            $out = ['url' => $disk->url($request->query('path'))];
            break;
        default:
            throw new InvalidArgumentException('unknown op');
    }
    echo json_encode($out);
} catch (Throwable $e) {
    http_response_code(500);
    echo json_encode(['error' => get_class($e).': '.$e->getMessage()]);
}
`;

/**
 * Drops the probe into every running php-fpm container and an empty file of the same name into
 * every release nginx (whose `try_files` wants it to exist). Containers of a later release do not
 * have it: call again after a release.
 */
export async function installProbe(all: readonly ContainerInfo[], publicDir: string): Promise<void> {
  const file = `${publicDir}${PROBE_PATH}`;
  for (const fpm of withRole([...all], "php-fpm").filter((c) => c.running)) {
    await docker(["exec", "-i", fpm.id, "sh", "-c", `cat > ${file}`], { input: PROBE });
  }
  for (const nginx of withRole([...all], "app-nginx").filter((c) => c.running)) {
    await docker(["exec", nginx.id, "touch", file]);
  }
}
