/**
 * haproxy.cfg of the Redis router: one address (`redis:6379`) that always leads to the current
 * master, for clients that know nothing of sentinels (Laravel's stock config, phpredis or
 * predis). Each node is checked every second: it must accept the password, answer PING and
 * report role:master. When a node stops being master its client connections are cut, so clients
 * reconnect and land on the new one. A node that restarts asks the sentinels first and comes
 * back as a replica of the current master (renderNodeStart), so there is never a second master
 * to route to.
 */
import { DOCKER_DNS, REDIS_PORT, ROUTER_HEALTH_PATH, ROUTER_HEALTH_PORT } from "../names";

export interface RedisRouterOptions {
  /** Aliases of the data nodes. */
  readonly nodes: readonly string[];
  readonly password: string;
}

/** A Redis command in the protocol's array form, as hex, so any password needs no escaping. */
export function respHex(...args: string[]): string {
  const parts = [`*${args.length}\r\n`, ...args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`)];
  return Buffer.from(parts.join("")).toString("hex");
}

export function renderRedisRouter(o: RedisRouterOptions): string {
  const servers = o.nodes.map(
    (node) => `    server ${node} ${node}:${REDIS_PORT} check inter 1s fall 1 rise 1 resolvers docker init-addr none on-marked-down shutdown-sessions`,
  );
  return `global
    log stdout format raw local0 notice

defaults
    mode tcp
    log global
    timeout connect 2s
    # Clients hold connections open (queue workers block on them).
    timeout client 1h
    timeout server 1h
    timeout check 2s

resolvers docker
    nameserver dns ${DOCKER_DNS}:53
    hold valid 1s

frontend redis
    bind :${REDIS_PORT}
    default_backend master

# Healthy while a master is known: the container's health check asks here.
frontend health
    mode http
    bind :${ROUTER_HEALTH_PORT}
    monitor-uri ${ROUTER_HEALTH_PATH}
    monitor fail if { nbsrv(master) lt 1 }

backend master
    option tcp-check
    tcp-check connect
    tcp-check send-binary ${respHex("AUTH", o.password)}
    tcp-check expect string +OK
    tcp-check send-binary ${respHex("PING")}
    tcp-check expect string +PONG
    # QUIT right behind INFO: the node answers both and closes, so a replica fails at once
    # instead of when the check times out.
    tcp-check send-binary ${respHex("INFO", "replication")}${respHex("QUIT")}
    tcp-check expect string role:master
${servers.join("\n")}
`;
}

/** Health check: the monitor page answers 200 only while a master is up. */
export function routerHealthCommand(): string {
  return `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${ROUTER_HEALTH_PORT} && printf "GET ${ROUTER_HEALTH_PATH} HTTP/1.0\\r\\n\\r\\n" >&3 && grep -q "200 OK" <&3'`;
}
