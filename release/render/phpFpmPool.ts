/** The php-fpm pool every php-fpm container runs, uploaded over the image's default pool. */

import { FPM_PING_PATH, FPM_PORT } from "../names";

export interface FpmPoolOptions {
  readonly maxChildren: number;
  /** Largest request body (MiB), as at the edge and the release nginx. */
  readonly maxBodySizeMb: number;
}

export function renderFpmPool(o: FpmPoolOptions): string {
  const start = Math.max(1, Math.min(2, o.maxChildren));
  return `[www]
user = www-data
group = www-data
listen = ${FPM_PORT}

pm = dynamic
pm.max_children = ${o.maxChildren}
pm.start_servers = ${start}
pm.min_spare_servers = 1
pm.max_spare_servers = ${start}
pm.max_requests = 500

ping.path = ${FPM_PING_PATH}
ping.response = pong

access.log = /proc/self/fd/2
access.format = "%R \\"%m %{REQUEST_URI}e\\" %s %{mili}dms"
access.suppress_path[] = ${FPM_PING_PATH}

; Debian's default (clear_env = yes) would hide the container's environment from PHP.
clear_env = no
catch_workers_output = yes
decorate_workers_output = no
request_terminate_timeout = 60s

; The body size the edge and the release nginx let through, not php.ini's smaller defaults.
php_admin_value[post_max_size] = ${o.maxBodySizeMb}M
php_admin_value[upload_max_filesize] = ${o.maxBodySizeMb}M
`;
}

/** Health check: ask php-fpm's ping page over FastCGI (cgi-fcgi from libfcgi-bin). */
export function fpmHealthCommand(): string {
  return `SCRIPT_NAME=${FPM_PING_PATH} SCRIPT_FILENAME=${FPM_PING_PATH} REQUEST_METHOD=GET cgi-fcgi -bind -connect 127.0.0.1:${FPM_PORT} | grep -q pong`;
}

/**
 * Health check that also asks the app: the ping, then a GET of `healthPath` through the app's
 * front controller over FastCGI, which must not answer with an error status (php-fpm sends a
 * Status header only for a status other than 200).
 */
export function fpmAppHealthCommand(publicDir: string, healthPath: string): string {
  // What nginx would send for a local request (Laravel's TrustProxies needs REMOTE_ADDR).
  const request = [
    "GATEWAY_INTERFACE=CGI/1.1", "SERVER_PROTOCOL=HTTP/1.1", "REQUEST_METHOD=GET", "REQUEST_SCHEME=http",
    `DOCUMENT_ROOT=${publicDir}`, "SCRIPT_NAME=/index.php", `SCRIPT_FILENAME=${publicDir}/index.php`, `REQUEST_URI=${healthPath}`,
    "QUERY_STRING=", "SERVER_NAME=localhost", "SERVER_ADDR=127.0.0.1", "SERVER_PORT=80", "REMOTE_ADDR=127.0.0.1", "REMOTE_PORT=0", "HTTP_HOST=localhost",
  ].join(" ");
  return `${fpmHealthCommand()} && out=$(${request} cgi-fcgi -bind -connect 127.0.0.1:${FPM_PORT}) && ! printf '%s' "$out" | grep -qiE '^Status: [^2]'`;
}
