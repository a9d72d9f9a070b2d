/** nginx configuration of the release image and of the edge proxy. */

import { DOCKER_DNS } from "../names";

export interface AppSiteOptions {
  /** Network alias of this release's php-fpm containers. */
  readonly fpmHost: string;
  readonly fpmPort: number;
  /** Document root; the same path holds the app in the php-fpm image. */
  readonly root: string;
  readonly healthPath: string;
}

/**
 * The release nginx server. php-fpm is addressed through a variable so nginx starts before the
 * alias resolves and re-resolves it, instead of pinning the addresses it saw at start.
 */
export function renderAppSite(o: AppSiteOptions): string {
  return `server {
    listen 80 default_server;
    server_name _;
    root ${o.root};
    index index.php;
    client_max_body_size 20m;
    server_tokens off;

    resolver ${DOCKER_DNS} valid=1s ipv6=off;
    set $fpm_upstream ${o.fpmHost}:${o.fpmPort};

    location = ${o.healthPath} {
        access_log off;
        default_type text/plain;
        return 200 "ok\\n";
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
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
        fastcgi_param DOCUMENT_ROOT $document_root;
        fastcgi_connect_timeout 2s;
        fastcgi_read_timeout 60s;
    }
}
`;
}

export interface EdgeOptions {
  /** Network alias shared by all release nginx containers. */
  readonly upstreamHost: string;
  readonly upstreamPort: number;
  readonly healthPath: string;
}

/**
 * The edge proxy: the only published port. It re-resolves the app alias every second, so release
 * containers can come and go, and retries another address when one has just gone away.
 */
export function renderEdge(o: EdgeOptions): string {
  return `server {
    listen 80 default_server;
    server_name _;
    server_tokens off;

    resolver ${DOCKER_DNS} valid=1s ipv6=off;
    set $app_upstream ${o.upstreamHost}:${o.upstreamPort};

    location = ${o.healthPath} {
        access_log off;
        default_type text/plain;
        return 200 "ok\\n";
    }

    location / {
        proxy_pass http://$app_upstream;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_connect_timeout 2s;
        proxy_next_upstream error timeout http_502 http_503 non_idempotent;
        proxy_next_upstream_tries 3;
    }
}
`;
}
