/**
 * Every name more than one part of the program relies on, defined once: paths inside the images,
 * ports, health paths, network aliases, labels and the names of stack-wide objects. The
 * Dockerfiles in `templates/` use the same paths (their generated parts come from here).
 */
import { versionSlug } from "../stacks/references";

/** Length of the content digest prefix in a release tag (`<version>-<12 hex>`). */
export const TAG_DIGEST_LENGTH = 12;

// Inside the images
/** The application in the backend image; its `public/` directory in the nginx image. */
export const APP_DIR = "/var/www/app";
export const PUBLIC_DIR = `${APP_DIR}/public`;
/** Debian's php8.2-fpm layout. */
export const FPM_POOL_FILE = "/etc/php/8.2/fpm/pool.d/www.conf";
/** The nginx images' site configuration (release nginx and edge). */
export const NGINX_SITE_FILE = "/etc/nginx/conf.d/default.conf";
/** Written by the scheduler loop each minute; its health check reads it. */
export const SCHEDULER_TICK_FILE = "/tmp/scheduler.tick";
/** The release check the migration container runs first (uploaded by the program). */
export const RELEASE_CHECK_FILE = "/tmp/release-check.php";
/**
 * Uploads (Laravel's "public" disk): one volume shared by every backend container and every
 * release, mounted read-only into the release nginx where `php artisan storage:link` would
 * point public/storage, so nginx serves /storage/... from it.
 */
export const UPLOADS_DIR = `${APP_DIR}/storage/app/public`;
export const UPLOADS_URL_PATH = "/storage";
export const UPLOADS_IN_NGINX = `${PUBLIC_DIR}${UPLOADS_URL_PATH}`;
/** TLS certificate chain and key of the edge (uploaded by the program). */
export const EDGE_CERTIFICATE_FILE = "/etc/nginx/tls/fullchain.pem";
export const EDGE_KEY_FILE = "/etc/nginx/tls/privkey.pem";
export const EDGE_HTTPS_PORT = 443;
/** Redis data nodes keep their data here (a volume); sentinels their rewritable config. */
export const REDIS_DATA_DIR = "/data";

// Ports and health paths
export const FPM_PORT = 9000;
export const FPM_PING_PATH = "/fpm-ping";
export const APP_HTTP_PORT = 80;
export const NGINX_HEALTH_PATH = "/nginx-health";
export const EDGE_HEALTH_PATH = "/edge-health";
export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;
export const ROUTER_HEALTH_PORT = 8404;
export const ROUTER_HEALTH_PATH = "/healthz";
/** Docker's embedded DNS server, reachable from every container on a user-defined network. */
export const DOCKER_DNS = "127.0.0.11";

// Network aliases on the stack network
/** Every release nginx container; the edge proxies to it. */
export const APP_ALIAS = "app";
export const EDGE_ALIAS = "edge";
export const DATABASE_ALIAS = "database";
/** The Redis routers: the current master for clients that do not speak to sentinels. */
export const REDIS_ROUTER_ALIAS = "redis";
export const redisNodeAlias = (index: number) => `redis-${index}`;
export const sentinelAlias = (index: number) => `redis-sentinel-${index}`;
/** redis-0 is the master the set starts with; sentinels may promote another later. */
export const INITIAL_MASTER_ALIAS = redisNodeAlias(0);

/** php-fpm's alias on a swarm: one service for every release, updated in place. */
export const SWARM_FPM_ALIAS = "php-fpm";

/**
 * `fpm-<version>-<content hash>` from the backend image tag, at most 63 characters (one DNS
 * label): old nginx containers keep talking to the old php-fpm while the new ones start.
 */
export function fpmAlias(backendTag: string): string {
  const hash = backendTag.slice(-TAG_DIGEST_LENGTH);
  const version = versionSlug(backendTag.slice(0, -TAG_DIGEST_LENGTH - 1)).slice(0, 63 - 5 - TAG_DIGEST_LENGTH).replace(/-+$/, "");
  return `fpm-${version}-${hash}`;
}

// Labels every container carries, so `docker ps --filter label=...` finds them by role
export const STACK_LABEL = "php-backend.stack";
export const ROLE_LABEL = "php-backend.role";
export const RELEASE_LABEL = "php-backend.release";
/** The migration's outcome; containers that carry it start after the migration. */
export const MIGRATION_LABEL = "php-backend.migration";

/** `<project>-<stack>`: the stack network's name and the prefix of every named object. */
export const stackPrefix = (project: string, stack: string) => `${project}-${stack}`;

/** Repository names of the two release images under the registry namespace. */
export const imageRepositories = (appName: string) => ({ backend: `${appName}-backend`, nginx: `${appName}-nginx` });
