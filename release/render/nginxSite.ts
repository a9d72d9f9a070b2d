/** nginx configuration of the release image and of the edge proxy. */

import { DOCKER_DNS } from "../names";

export interface AppSiteOptions {
  /** Network alias of this release's php-fpm containers. */
  readonly fpmHost: string;
  readonly fpmPort: number;
  /** Document root; the same path holds the app in the php-fpm image. */
  readonly root: string;
  readonly healthPath: string;
  /** URL path of the uploads volume mounted under the document root (`/storage`). */
  readonly uploadsPath: string;
}

/**
 * Every FastCGI parameter PHP gets, stated here rather than taken from the image's
 * `fastcgi_params`, which differ: Debian's current packages send `HTTP_HOST` as
 * `$host`, which drops the port, so an app served on :8443 would build URLs without it. The edge
 * already sends a Host of its own making (`$host` plus the port the client used).
 */
const FASTCGI_PARAMS: readonly (readonly [string, string])[] = [
  ["QUERY_STRING", "$query_string"],
  ["REQUEST_METHOD", "$request_method"],
  ["CONTENT_TYPE", "$content_type"],
  ["CONTENT_LENGTH", "$content_length"],
  ["SCRIPT_NAME", "$fastcgi_script_name"],
  ["SCRIPT_FILENAME", "$document_root$fastcgi_script_name"],
  ["REQUEST_URI", "$request_uri"],
  ["DOCUMENT_URI", "$document_uri"],
  ["DOCUMENT_ROOT", "$document_root"],
  ["SERVER_PROTOCOL", "$server_protocol"],
  ["GATEWAY_INTERFACE", "CGI/1.1"],
  ["SERVER_SOFTWARE", "nginx"],
  ["REMOTE_ADDR", "$remote_addr"],
  ["REMOTE_PORT", "$remote_port"],
  ["SERVER_ADDR", "$server_addr"],
  ["SERVER_PORT", "$server_port"],
  ["SERVER_NAME", "$server_name"],
  ["HTTP_HOST", "$http_host"],
  ["HTTPS", "$forwarded_https if_not_empty"],
  ["REDIRECT_STATUS", "200"],
];

/**
 * Private address ranges: the release nginx is reachable only on the stack's private network,
 * where the edge is the one that talks to it, so a request from these carries the edge's view.
 */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

/**
 * The release nginx server. php-fpm is addressed through a variable so nginx starts before the
 * alias resolves and re-resolves it, instead of pinning the addresses it saw at start.
 * The client's address and scheme, as the edge saw them, reach PHP as REMOTE_ADDR and HTTPS, so
 * a stock Laravel app (no trusted proxies configured) sees https and the client's address.
 */
export function renderAppSite(o: AppSiteOptions): string {
  return `map $http_x_forwarded_proto $forwarded_https {
    default "";
    https on;
}

server {
    listen 80 default_server;
    server_name _;
    root ${o.root};
    index index.php;
    client_max_body_size 20m;
    server_tokens off;

${PRIVATE_RANGES.map((range) => `    set_real_ip_from ${range};`).join("\n")}
    real_ip_header X-Forwarded-For;
    real_ip_recursive on;

    resolver ${DOCKER_DNS} valid=1s ipv6=off;
    set $fpm_upstream ${o.fpmHost}:${o.fpmPort};

    location = ${o.healthPath} {
        access_log off;
        default_type text/plain;
        return 200 "ok\\n";
    }

    # Uploads are files, never code: no fallback to PHP, and no .php executed from here.
    location ^~ ${o.uploadsPath}/ {
        try_files $uri =404;
    }

    location / {
        try_files $uri $uri/ /index.php?$query_string;
    }

    location ~ /\\.(?!well-known) {
        deny all;
    }

    location ~ \\.php$ {
        try_files $fastcgi_script_name =404;
        fastcgi_pass $fpm_upstream;
        fastcgi_index index.php;
${FASTCGI_PARAMS.map(([name, value]) => `        fastcgi_param ${name} ${value};`).join("\n")}
        # A replica that is gone (its host lost) never answers a connect: give up after 1 s and
        # try the next address (fastcgi_next_upstream's default: error timeout).
        fastcgi_connect_timeout 1s;
        fastcgi_read_timeout 60s;
    }
}
`;
}

export interface EdgeOptions {
  /** Network alias shared by all release nginx containers. */
  readonly upstreamHost: string;
  readonly upstreamPort: number;
  /** The edge's own health path (its container health check). */
  readonly healthPath: string;
  /** The app's health path: proxied over plain HTTP too, never redirected (load balancer checks). */
  readonly appHealthPath?: string;
  /** Serve HTTPS with these files and redirect HTTP to `publicOrigin`. */
  readonly tls?: { readonly certificateFile: string; readonly keyFile: string; readonly publicOrigin: string };
  /** A load balancer in front terminated TLS: pass on its X-Forwarded-Proto and -For. */
  readonly behindLoadBalancer?: boolean;
}

/**
 * The edge proxy: the only published ports. It re-resolves the app alias every second, so release
 * containers can come and go, and retries another address when one has just gone away. It is the
 * first hop the app trusts: it replaces the client's X-Forwarded-* headers with what it saw
 * itself, unless a load balancer in front set them.
 */
export function renderEdge(o: EdgeOptions): string {
  const forwardedProto = o.behindLoadBalancer ? "$forwarded_proto" : "$scheme";
  const forwardedFor = o.behindLoadBalancer ? "$proxy_add_x_forwarded_for" : "$remote_addr";
  const proxy = (indent: string) => [
    "proxy_pass http://$app_upstream;",
    "proxy_http_version 1.1;",
    'proxy_set_header Connection "";',
    // The request's host (from its target or Host header, as nginx validated it) with the port
    // the client used: the URLs the app builds point back here.
    "proxy_set_header Host $host$client_port;",
    "proxy_set_header X-Real-IP $remote_addr;",
    `proxy_set_header X-Forwarded-For ${forwardedFor};`,
    `proxy_set_header X-Forwarded-Proto ${forwardedProto};`,
    "proxy_connect_timeout 1s;",
    "proxy_next_upstream error timeout http_502 http_503 non_idempotent;",
    "proxy_next_upstream_tries 3;",
  ].map((line) => indent + line).join("\n");
  const common = `    server_tokens off;

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
  const portMap = `map $http_host $client_port {
    "~:(?<port>[0-9]+)$" ":$port";
    default "";
}

`;
  const lbMap = o.behindLoadBalancer
    ? `map $http_x_forwarded_proto $forwarded_proto {
    default $scheme;
    https https;
}

`
    : "";
  const maps = portMap + lbMap;
  // Plain HTTP proxies to the app, or, with TLS, redirects everything but the health paths.
  const plainRoot = o.tls ? `        return 301 ${o.tls.publicOrigin}$request_uri;` : proxy("        ");
  const plain = `${maps}server {
    listen 80 default_server;
    server_name _;
${common}

${ownHealth}${appHealth}

    location / {
${plainRoot}
    }
}
`;
  if (!o.tls) return plain;
  return `${plain}
server {
    listen 443 ssl default_server;
    server_name _;
${common}

    ssl_certificate ${o.tls.certificateFile};
    ssl_certificate_key ${o.tls.keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers off;
    ssl_session_cache shared:edge_tls:10m;
    ssl_session_timeout 1d;
    ssl_session_tickets off;
    add_header Strict-Transport-Security "max-age=31536000" always;

${ownHealth}

    location / {
${proxy("        ")}
    }
}
`;
}
