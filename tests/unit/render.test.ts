import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderEdge } from "../../release/render/edgeSite";
import { renderAppSite } from "../../release/render/nginxSite";
import { fpmHealthCommand, renderFpmPool } from "../../release/render/phpFpmPool";
import { redisQuote, renderRedisNode, renderSentinel } from "../../release/render/redis";
import { renderSchedulerLoop } from "../../release/render/scheduler";
import { nginxTest as nginxTestIn, writeMainConfig } from "./support/nginx";

const site = renderAppSite({ fpmHost: "fpm-v1-4-2", fpmPort: 9000, root: "/var/www/app/public", healthPath: "/nginx-health", uploadsPath: "/storage", maxBodySizeMb: 20 });
const edge = renderEdge({ upstreamHost: "app", upstreamPort: 80, healthPath: "/edge-health", publicOrigin: "http://www.example.com", maxBodySizeMb: 20 });

/** Runs the real `nginx -t` on a site inside a minimal main config. */
function nginxTest(site: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nginx-t-"));
  writeMainConfig(dir, site);
  try {
    return nginxTestIn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("nginx configurations", () => {
  test("the release site passes the real nginx -t", () => {
    expect(() => nginxTest(site)).not.toThrow();
  });

  test("the edge passes the real nginx -t", () => {
    expect(() => nginxTest(edge)).not.toThrow();
  });

  test("nginx -t really rejects a broken config (the check can fail)", () => {
    expect(() => nginxTest(site.replace("fastcgi_pass $fpm_upstream;", "fastcgi_pass;"))).toThrow(/invalid number of arguments/);
  });

  test("the site reaches php-fpm through a re-resolved variable, never a pinned address", () => {
    expect(site).toContain("resolver 127.0.0.11 valid=1s");
    expect(site).toContain("set $fpm_upstream fpm-v1-4-2:9000;");
    expect(site).toContain("fastcgi_pass $fpm_upstream;");
    expect(site).toContain("try_files $uri $uri/ /index.php?$query_string;");
  });

  test("the edge re-resolves the app alias and retries another replica", () => {
    expect(edge).toContain("proxy_pass http://$app_upstream;");
    expect(edge).toMatch(/proxy_next_upstream error timeout http_502 http_503;/);
  });

  test("one body size through the chain: edge, release nginx and PHP", () => {
    const limits = (text: string) => text.match(/client_max_body_size \S+;/g);
    expect(limits(renderEdge({ upstreamHost: "app", upstreamPort: 80, healthPath: "/edge-health", publicOrigin: "http://a.example", maxBodySizeMb: 64 })))
      .toEqual(["client_max_body_size 64m;", "client_max_body_size 64m;"]);
    expect(limits(renderAppSite({ fpmHost: "fpm", fpmPort: 9000, root: "/srv", healthPath: "/h", uploadsPath: "/storage", maxBodySizeMb: 64 })))
      .toEqual(["client_max_body_size 64m;"]);
    expect(renderFpmPool({ maxChildren: 4, maxBodySizeMb: 64 })).toMatch(/post_max_size\] = 64M\n[^]*upload_max_filesize\] = 64M\n/);
  });
});

describe("redis and sentinel configurations", () => {
  const sentinel = renderSentinel({
    hostname: "redis-sentinel-1", serviceName: "app-redis", masterHost: "redis-0", quorum: 2,
    password: 'p"w\\x', downAfterMs: 2000, failoverTimeoutMs: 60000, parallelSyncs: 1,
  });

  test("a replica follows the master by name and announces its own name", () => {
    const replica = renderRedisNode({ hostname: "redis-2", replicaOf: "redis-0", password: "pw", maxMemoryMb: 256 });
    expect(replica).toContain("replicaof redis-0 6379\n");
    expect(replica).toContain("replica-announce-ip redis-2\n");
    expect(replica).toContain('masterauth "pw"\n');
    expect(renderRedisNode({ hostname: "redis-0", password: "pw", maxMemoryMb: 256 })).not.toContain("replicaof");
  });

  test("sentinels resolve hostnames before the monitor line and use the set's timings", () => {
    const lines = sentinel.split("\n");
    expect(lines.indexOf("sentinel resolve-hostnames yes")).toBeLessThan(lines.findIndex((l) => l.startsWith("sentinel monitor")));
    expect(sentinel).toContain("sentinel monitor app-redis redis-0 6379 2\n");
    expect(sentinel).toContain("sentinel announce-ip redis-sentinel-1\n");
    expect(sentinel).toContain("sentinel down-after-milliseconds app-redis 2000\n");
  });

  test("passwords are quoted so any character survives", () => {
    expect(redisQuote('p"w\\x')).toBe('"p\\"w\\\\x"');
    expect(sentinel).toContain('sentinel auth-pass app-redis "p\\"w\\\\x"\n');
  });
});

describe("php-fpm pool and scheduler", () => {
  test("the pool keeps the container environment and answers pings", () => {
    const pool = renderFpmPool({ maxChildren: 16, maxBodySizeMb: 20 });
    expect(pool).toContain("clear_env = no");
    expect(pool).toContain("pm.max_children = 16");
    expect(pool).toContain("listen = 9000");
    expect(pool).toContain("ping.path = /fpm-ping");
    expect(pool).toContain("php_admin_value[post_max_size] = 20M\n");
    expect(pool).toContain("php_admin_value[upload_max_filesize] = 20M\n");
    expect(fpmHealthCommand()).toContain("cgi-fcgi -bind -connect 127.0.0.1:9000");
  });

  test("the scheduler loop is valid sh and runs schedule:run once a minute", () => {
    const loop = renderSchedulerLoop("/var/www/app");
    expect(() => execFileSync("sh", ["-n", "-c", loop])).not.toThrow();
    expect(loop).toContain("php artisan schedule:run");
    expect(loop).toContain("sleep $((60 - $(date +%s) % 60))");
  });
});
