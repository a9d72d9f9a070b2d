/** nginx configuration of the release image (the edge's is in edgeSite.ts). */

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
  /** Largest request body (MiB), as at the edge and in PHP. */
  readonly maxBodySizeMb: number;
}

/**
 * Uploaded files are served as what their name says, never sniffed into something else, and an
 * uploaded HTML or SVG page opened directly runs sandboxed: no script on the app's origin, nothing
 * loaded from anywhere (stored XSS through the public disk).
 */
export const UPLOAD_HEADERS: readonly (readonly [string, string])[] = [
  ["X-Content-Type-Options", "nosniff"],
  ["Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox"],
];

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
    client_max_body_size ${o.maxBodySizeMb}m;
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

    # Uploads are files, never code: no fallback to PHP, and no .php executed from here. This
    # prefix wins over the regex locations below, so it denies dotfiles itself.
    location ^~ ${o.uploadsPath}/ {
        try_files $uri =404;
${UPLOAD_HEADERS.map(([name, value]) => `        add_header ${name} "${value}" always;`).join("\n")}

        location ~ /\\.(?!well-known) {
            deny all;
        }
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
