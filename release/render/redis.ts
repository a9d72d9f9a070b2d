/** redis.conf of the data nodes and sentinel.conf of the sentinels. */

import { REDIS_DATA_DIR, REDIS_PORT, SENTINEL_PORT } from "../names";

/** Quotes a value for redis.conf, so a password may hold spaces, quotes or backslashes. */
export function redisQuote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export interface RedisNodeOptions {
  /** The node's own network alias, announced to the master and sentinels instead of its IP. */
  readonly hostname: string;
  /** Alias of the initial master; undefined for the master itself. */
  readonly replicaOf?: string;
  readonly password: string;
  readonly maxMemoryMb: number;
}

export function renderRedisNode(o: RedisNodeOptions): string {
  const lines = [
    `port ${REDIS_PORT}`,
    "bind * -::*",
    "protected-mode no",
    `dir ${REDIS_DATA_DIR}`,
    "appendonly yes",
    `maxmemory ${Math.floor(o.maxMemoryMb * 0.75)}mb`,
    "maxmemory-policy noeviction",
    `requirepass ${redisQuote(o.password)}`,
    `masterauth ${redisQuote(o.password)}`,
    `replica-announce-ip ${o.hostname}`,
    `replica-announce-port ${REDIS_PORT}`,
    "replica-read-only yes",
  ];
  if (o.replicaOf) lines.push(`replicaof ${o.replicaOf} ${REDIS_PORT}`);
  return lines.join("\n") + "\n";
}

export interface SentinelOptions {
  readonly hostname: string;
  readonly serviceName: string;
  readonly masterHost: string;
  readonly quorum: number;
  readonly password: string;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
  readonly parallelSyncs: number;
}

/** Hostnames end to end: sentinels resolve and announce names, never the IPs of the moment. */
export function renderSentinel(o: SentinelOptions): string {
  const s = o.serviceName;
  return [
    `port ${SENTINEL_PORT}`,
    "protected-mode no",
    `dir ${REDIS_DATA_DIR}`,
    "sentinel resolve-hostnames yes",
    "sentinel announce-hostnames yes",
    `sentinel announce-ip ${o.hostname}`,
    `sentinel announce-port ${SENTINEL_PORT}`,
    `requirepass ${redisQuote(o.password)}`,
    `sentinel monitor ${s} ${o.masterHost} ${REDIS_PORT} ${o.quorum}`,
    `sentinel auth-pass ${s} ${redisQuote(o.password)}`,
    `sentinel down-after-milliseconds ${s} ${o.downAfterMs}`,
    `sentinel failover-timeout ${s} ${o.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${s} ${o.parallelSyncs}`,
  ].join("\n") + "\n";
}

/** Health check for either role; the password comes from REDISCLI_AUTH in the environment. */
export function redisHealthCommand(port: number): string {
  return `redis-cli -p ${port} ping | grep -q PONG`;
}

export interface NodeStartOptions {
  /** The node's own alias. */
  readonly self: string;
  readonly configFile: string;
  /** Aliases of the sentinels to ask. */
  readonly sentinels: readonly string[];
  readonly serviceName: string;
}

/**
 * The data node's main process. A node asks the sentinels who the master is before it starts:
 * when they name another node it starts as that node's replica, when they name this one as the
 * master, and only when no sentinel answers (a new set) in the role its config gives. So a
 * master that was stopped and failed over comes back as a replica and never takes a write
 * (Redis would otherwise start it as a master until a sentinel demotes it).
 * REDISCLI_AUTH in the environment authenticates redis-cli.
 */
export function renderNodeStart(o: NodeStartOptions): string {
  return `set -u
master=""
for sentinel in ${o.sentinels.join(" ")}; do
  master=$(timeout 2 redis-cli -h "$sentinel" -p ${SENTINEL_PORT} --no-auth-warning SENTINEL get-master-addr-by-name ${o.serviceName} 2>/dev/null | head -n 1)
  # An answer is a host name; anything else (an error, no answer) asks the next sentinel.
  printf '%s' "$master" | grep -Eq '^[A-Za-z0-9._-]+$' && break
  master=""
done
if [ -z "$master" ]; then
  exec redis-server ${o.configFile}
elif [ "$master" = "${o.self}" ]; then
  echo "sentinels name this node the master" >&2
  exec redis-server ${o.configFile} --replicaof no one
else
  echo "sentinels name $master the master: starting as its replica" >&2
  exec redis-server ${o.configFile} --replicaof "$master" ${REDIS_PORT}
fi
`;
}
