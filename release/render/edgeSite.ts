/** nginx configuration of the edge proxy: the only published ports. */

import { isIP } from "net";
import { DOCKER_DNS } from "../names";

export interface EdgeOptions {
  /** Network alias shared by all release nginx containers. */
  readonly upstreamHost: string;
  readonly upstreamPort: number;
  /** The edge's own health path (its container health check). */
  readonly healthPath: string;
  /** The app's health path: proxied over plain HTTP too, never redirected (load balancer checks). */
  readonly appHealthPath?: string;
  /** `appUrl`'s origin: its host is the one the app is served for, and redirects lead here. */
  readonly publicOrigin: string;
  /** More hosts the app is served for (lower case, IPv6 in brackets). Any other Host: no answer. */
  readonly hostAliases?: readonly string[];
  /** Largest request body (MiB) passed on; the release nginx and PHP accept the same. */
  readonly maxBodySizeMb: number;
  /** Serve HTTPS with these files and redirect HTTP to `publicOrigin`. */
  readonly tls?: { readonly certificateFile: string; readonly keyFile: string };
  /** A load balancer in front terminated TLS: pass on its X-Forwarded-Proto and -For. */
  readonly behindLoadBalancer?: boolean;
}

/**
 * Mozilla's "intermediate" server-side TLS profile, guideline 6.0
 * (mozilla/ssl-config-generator, src/static/guidelines/6.0.json): TLS 1.2 and 1.3, these TLS 1.2
 * ciphers (all ECDHE with AES-GCM or ChaCha20; TLS 1.3 suites are OpenSSL's defaults, the same
 * three), the client's order, and HSTS for two years. X25519MLKEM768 is left out of the curves:
 * OpenSSL 3.0 (Debian bookworm, the nginx:1.27 image) does not know it and nginx would not start.
 */
export const MOZILLA_INTERMEDIATE = {
  protocols: "TLSv1.2 TLSv1.3",
  ciphers: [
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
  ].join(":"),
  curves: "X25519:prime256v1:secp384r1",
  hsts: "max-age=63072000",
} as const;

/** Retries may start within this long of the first try (a release's refused connects take ~1 s each). */
const RETRY_WINDOW = "10s";

/**
 * The edge proxy. It re-resolves the app alias every second, so release containers can come and
 * go, and tries another address when one has just gone away: on a refused or timed-out connect
 * (a request not sent yet, any method), or on 502/503 for idempotent methods only. A POST that
 * reached an app is never sent again (nginx's default without `non_idempotent`), so a replica
 * killed mid-request cannot make an order twice.
 *
 * It serves only appUrl's host and its aliases; any other Host gets no answer (444, or 421 over
 * TLS, whose handshake is refused when the client names another host), except for the health
 * paths, which checkers call by address. It is the first hop the app trusts: it replaces the
 * client's X-Forwarded-* headers with what it saw itself, unless a load balancer in front set them.
 */
export function renderEdge(o: EdgeOptions): string {
  const hosts = [new URL(o.publicOrigin).hostname, ...(o.hostAliases ?? [])];
  const lb = o.behindLoadBalancer === true;
  const https = o.publicOrigin.startsWith("https:");
  const proxy = (indent: string) => [
    "proxy_pass http://$app_upstream;",
    "proxy_http_version 1.1;",
    'proxy_set_header Connection "";',
    // The request's host (an allowed one: this server's) with the port the client used, so the
    // URLs the app builds point back here.
    "proxy_set_header Host $host$client_port;",
    "proxy_set_header X-Real-IP $remote_addr;",
    `proxy_set_header X-Forwarded-For ${lb ? "$proxy_add_x_forwarded_for" : "$remote_addr"};`,
    `proxy_set_header X-Forwarded-Proto ${lb ? "$forwarded_proto" : "$scheme"};`,
    "proxy_connect_timeout 1s;",
    "proxy_next_upstream error timeout http_502 http_503;",
    "proxy_next_upstream_tries 3;",
    `proxy_next_upstream_timeout ${RETRY_WINDOW};`,
  ].map((line) => indent + line).join("\n");
  const common = `    server_tokens off;
    client_max_body_size ${o.maxBodySizeMb}m;

    resolver ${DOCKER_DNS} valid=1s ipv6=off;
    set $app_upstream ${o.upstreamHost}:${o.upstreamPort};`;
  const ownHealth = `    location = ${o.healthPath} {
        access_log off;
        default_type text/plain;
        return 200 "ok\\n";
    }`;
  const appHealth = o.appHealthPath ? `

    location = ${o.appHealthPath} {
${proxy("        ")}
    }` : "";
  const health = ownHealth + appHealth;
  const maps = [`map $http_host $client_port {
    "~:(?<port>[0-9]+)$" ":$port";
    default "";
}
`];
  // Behind a load balancer its X-Forwarded-Proto says what the client used. The edge must be
  // reachable only from it (tlsTermination's contract), so the header is the balancer's; a client
  // that still reaches the edge directly can only choose its own redirect or HSTS header.
  if (lb) {
    maps.push(`map $http_x_forwarded_proto $forwarded_proto {
    default $scheme;
    https https;
}
`, `map $http_x_forwarded_proto $client_used_http {
    default 0;
    http 1;
}
`);
    if (https) maps.push(`map $forwarded_proto $hsts {
    default "";
    https "${MOZILLA_INTERMEDIATE.hsts}";
}
`);
  }
  const redirect = `return 301 ${o.publicOrigin}$request_uri;`;
  const plainRoot = o.tls
    ? `        ${redirect}`
    : lb && https
      ? `        if ($client_used_http) {\n            ${redirect}\n        }\n${proxy("        ")}`
      : proxy("        ");
  const plain = `${maps.join("\n")}
# Any other host: the health paths, then no answer at all.
server {
    listen 80 default_server;
    server_name _;
${common}

${health}

    location / {
        return 444;
    }
}

server {
    listen 80;
    server_name ${hosts.join(" ")};
${common}${lb && https ? "\n    add_header Strict-Transport-Security $hsts always;" : ""}

${health}

    location / {
${plainRoot}
    }
}
`;
  if (!o.tls) return plain;
  const tlsFiles = `    ssl_certificate ${o.tls.certificateFile};
    ssl_certificate_key ${o.tls.keyFile};`;
  // A client that connects by address sends no server name: then the handshake needs the
  // certificate here, and the Host header alone tells the app's requests from others.
  const byAddress = hosts.some((h) => isIP(h.replace(/^\[|\]$/g, "")) !== 0);
  return `${plain}
# Any other host: the handshake is refused (421 when the client sent no name or another Host).
server {
    listen 443 ssl default_server;
    server_name _;
    server_tokens off;
${byAddress ? tlsFiles : "    ssl_reject_handshake on;"}
    # The handshake starts here, before the client's server name picks the app's server: the
    # protocol versions offered are this server's (nginx 1.22 would offer TLS 1.0 and not 1.3).
${tlsProfile()}

    location / {
        return 421;
    }
}

server {
    listen 443 ssl;
    server_name ${hosts.join(" ")};
${common}

${tlsFiles}
${tlsProfile()}
    add_header Strict-Transport-Security "${MOZILLA_INTERMEDIATE.hsts}" always;

${ownHealth}

    location / {
${proxy("        ")}
    }
}
`;
}

function tlsProfile(): string {
  return `    ssl_protocols ${MOZILLA_INTERMEDIATE.protocols};
    ssl_ciphers ${MOZILLA_INTERMEDIATE.ciphers};
    ssl_ecdh_curve ${MOZILLA_INTERMEDIATE.curves};
    ssl_prefer_server_ciphers off;
    ssl_session_cache shared:edge_tls:10m;
    ssl_session_timeout 1d;
    ssl_session_tickets off;`;
}
