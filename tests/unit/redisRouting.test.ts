/**
 * The Redis router's HAProxy config (checked by the real `haproxy -c`) and the data nodes' start
 * script, run with stand-in redis-cli/redis-server commands to see which role it starts in.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderNodeStart } from "../../release/render/redis";
import { renderRedisRouter, respHex } from "../../release/render/redisRouter";

const PASSWORD = `p@ss w"rd $HOME \\`;

describe("Redis router", () => {
  const config = renderRedisRouter({ nodes: ["redis-0", "redis-1", "redis-2"], password: PASSWORD });

  test("passes the real haproxy -c", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "haproxy-c-"));
    fs.writeFileSync(path.join(dir, "haproxy.cfg"), config);
    expect(execFileSync("haproxy", ["-c", "-f", path.join(dir, "haproxy.cfg")], { encoding: "utf8", stdio: "pipe" })).toMatch(/Configuration file is valid/);
    fs.writeFileSync(path.join(dir, "broken.cfg"), config.replace("backend master", "backend"));
    expect(() => execFileSync("haproxy", ["-c", "-f", path.join(dir, "broken.cfg")], { stdio: "pipe" })).toThrow();
  });

  test("checks every node for the password, PING and role:master, and cuts a demoted node's clients", () => {
    for (const node of ["redis-0", "redis-1", "redis-2"]) {
      expect(config).toMatch(new RegExp(`^ +server ${node} ${node}:6379 check .*on-marked-down shutdown-sessions$`, "m"));
    }
    expect(config).toContain(`tcp-check send-binary ${respHex("AUTH", PASSWORD)}`);
    expect(config).toContain("tcp-check expect string role:master");
  });

  test("sends commands in the protocol's array form, whatever the password holds", () => {
    expect(Buffer.from(respHex("AUTH", "a b"), "hex").toString()).toBe("*2\r\n$4\r\nAUTH\r\n$3\r\na b\r\n");
    expect(Buffer.from(respHex("AUTH", "ü"), "hex").toString()).toBe("*2\r\n$4\r\nAUTH\r\n$2\r\nü\r\n");
  });
});

describe("data node start", () => {
  const script = renderNodeStart({ self: "redis-0", configFile: "/etc/redis.conf", sentinels: ["s0", "s1", "s2"], serviceName: "app-redis" });

  /** Runs the script with redis-cli answering `answers[sentinel]`; returns redis-server's arguments. */
  function startWith(answers: Record<string, string>): string {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "node-start-"));
    const stub = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    stub("timeout", 'shift; exec "$@"');
    stub("redis-cli", `case "$2" in\n${Object.entries(answers).map(([s, a]) => `  ${s}) printf '%s\\n' ${a.split("\n").map((l) => `'${l}'`).join(" ")};;`).join("\n")}\n  *) exit 1;;\nesac`);
    stub("redis-server", 'echo "redis-server $*"');
    try {
      return execFileSync("sh", ["-c", script], { encoding: "utf8", env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: ["ignore", "pipe", "ignore"] }).trim();
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  }

  test("a new set (no sentinel answers) starts in the role its config gives", () => {
    expect(startWith({})).toBe("redis-server /etc/redis.conf");
  });

  test("a former master that was failed over comes back as the new master's replica", () => {
    expect(startWith({ s0: "redis-2\n6379" })).toBe("redis-server /etc/redis.conf --replicaof redis-2 6379");
  });

  test("a node the sentinels name as master starts as master", () => {
    expect(startWith({ s0: "redis-0\n6379" })).toBe("redis-server /etc/redis.conf --replicaof no one");
  });

  test("an error from one sentinel is not an answer: the next one is asked", () => {
    expect(startWith({ s0: "NOAUTH Authentication required.", s1: "", s2: "redis-1\n6379" })).toBe("redis-server /etc/redis.conf --replicaof redis-1 6379");
  });
});
