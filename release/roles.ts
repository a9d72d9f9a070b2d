/**
 * What one release runs, independent of the engine that runs it: each role's image, command,
 * files, health check, stop behaviour, replicas, aliases and rollout order. Pure: the Docker
 * components realise it container by container; another target would realise the same plan.
 */
import { StackSettings, WorkerSettings } from "../stacks/types";
import * as names from "./names";
import { renderAppSite } from "./render/nginxSite";
import { fpmAppHealthCommand, fpmHealthCommand, renderFpmPool } from "./render/phpFpmPool";
import { renderReleaseCheck } from "./render/releaseCheck";
import { renderSchedulerLoop, schedulerHealthCommand } from "./render/scheduler";

export type ReleaseImage = "backend" | "nginx";

/**
 * start-first: a new replica is healthy before the one it replaces stops (no request dropped).
 * stop-first: the old one stops first, so two never run at once.
 */
export type Rollout = "start-first" | "stop-first";

/** Volumes a release shares with every other release (they outlive all of them). */
export type SharedVolume = "uploads";

export interface Mount {
  readonly volume: SharedVolume;
  readonly path: string;
  readonly readOnly: boolean;
}

export interface ConfigFile {
  readonly path: string;
  readonly content: string;
}

/** A long-running role of the release. */
export interface ServiceRole {
  /** Label value and component: php-fpm, app-nginx, worker, scheduler. */
  readonly role: string;
  readonly image: ReleaseImage;
  /** undefined: the image's default command. */
  readonly command?: readonly string[];
  readonly workingDir?: string;
  readonly files: readonly ConfigFile[];
  readonly mounts: readonly Mount[];
  /** A shell command that exits 0 while the replica is healthy. */
  readonly health: string;
  readonly stopSignal: string;
  /** Seconds the replica gets to finish its work after `stopSignal` before it is killed. */
  readonly stopGraceSeconds: number;
  readonly replicas: number;
  /** Exactly one replica, named without an index. */
  readonly singleton: boolean;
  /** Network aliases on the stack network. */
  readonly aliases: readonly string[];
  /** Runs the backend image with the app's environment (and joins the database's network). */
  readonly appEnvironment: boolean;
  /** The version its image belongs to (a label). */
  readonly release: string;
  readonly memoryMb: number;
  readonly rollout: Rollout;
}

/**
 * The release check, then `php artisan migrate`: run to completion once per release, before any
 * service role changes; a failure of either stops the release.
 */
export interface MigrationRole {
  readonly role: "migrate";
  readonly image: "backend";
  readonly command: readonly string[];
  readonly workingDir: string;
  readonly files: readonly ConfigFile[];
  readonly mounts: readonly Mount[];
  readonly release: string;
  readonly memoryMb: number;
}

export interface ReleasePlan {
  /** Network alias of this release's php-fpm replicas; this release's nginx sends PHP to it. */
  readonly fpmAlias: string;
  readonly migration: MigrationRole;
  readonly fpm: ServiceRole;
  readonly worker: ServiceRole;
  readonly scheduler: ServiceRole;
  readonly nginx: ServiceRole;
}

export function workerCommand(w: WorkerSettings): string[] {
  return ["php", "artisan", "queue:work", "redis", `--queue=${w.queue}`, `--sleep=${w.sleepSeconds}`, `--tries=${w.tries}`, `--max-time=${w.maxTimeSeconds}`];
}

export const httpHealth = (path: string) => `curl -fsS http://127.0.0.1${path} > /dev/null`;

/**
 * How a release's nginx finds its php-fpm. `paired` (one host): each release's php-fpm has an
 * alias of its own, so a release's nginx only ever talks to its own php-fpm, and nginx's health
 * check asks the app through it. `shared` (a swarm, whose services are updated in place): one
 * alias for every release, so the app's health path gates each php-fpm replica itself, and
 * nginx checks only itself (else a bad php-fpm would fail the nginx replicas of every release).
 */
export type FpmPairing = "paired" | "shared";

/** The release of `s` whose backend image is tagged `backendTag`. */
export function describeRelease(s: StackSettings, backendTag: string, pairing: FpmPairing = "paired"): ReleasePlan {
  const fpmAlias = pairing === "paired" ? names.fpmAlias(backendTag) : names.SWARM_FPM_ALIAS;
  const appHealthPath = s.app.healthPath;
  // Every backend container may write uploads (requests, jobs, scheduled tasks, seeders).
  const uploads: Mount[] = [{ volume: "uploads", path: names.UPLOADS_DIR, readOnly: false }];
  const backend = { image: "backend", appEnvironment: true, release: s.release.backendVersion, memoryMb: s.limits.appMemoryMb, mounts: uploads } as const;
  return {
    fpmAlias,
    migration: {
      role: "migrate",
      image: "backend",
      command: ["sh", "-c", `php ${names.RELEASE_CHECK_FILE} && exec php artisan migrate --force --no-interaction`],
      workingDir: names.APP_DIR,
      files: [{ path: names.RELEASE_CHECK_FILE, content: renderReleaseCheck(names.APP_DIR) }],
      // First to mount it: a new volume takes the image's directory and its owner (www-data).
      mounts: uploads,
      release: backend.release,
      memoryMb: backend.memoryMb,
    },
    fpm: {
      ...backend,
      role: "php-fpm",
      command: ["php-fpm8.2", "--nodaemonize", "--force-stderr"],
      workingDir: names.APP_DIR,
      files: [{ path: names.FPM_POOL_FILE, content: renderFpmPool({ maxChildren: s.services.fpmMaxChildren, maxBodySizeMb: s.edge.maxBodySizeMb }) }],
      health: pairing === "shared" && appHealthPath ? fpmAppHealthCommand(names.PUBLIC_DIR, appHealthPath) : fpmHealthCommand(),
      // php-fpm finishes in-flight requests on SIGQUIT; SIGTERM would cut them off.
      stopSignal: "SIGQUIT",
      stopGraceSeconds: 30,
      replicas: s.services.fpmReplicas,
      singleton: false,
      aliases: [fpmAlias],
      rollout: "start-first",
    },
    worker: {
      ...backend,
      role: "worker",
      command: workerCommand(s.services.worker),
      workingDir: names.APP_DIR,
      files: [],
      health: "tr '\\0' ' ' < /proc/1/cmdline | grep -q 'artisan queue:work'",
      // A worker finishes its current job on SIGTERM while the new one already takes the next.
      stopSignal: "SIGTERM",
      stopGraceSeconds: s.services.worker.stopGraceSeconds,
      replicas: s.services.workerReplicas,
      singleton: false,
      aliases: [],
      rollout: "start-first",
    },
    scheduler: {
      ...backend,
      role: "scheduler",
      command: ["sh", "-c", renderSchedulerLoop(names.APP_DIR)],
      workingDir: names.APP_DIR,
      files: [],
      health: schedulerHealthCommand(),
      // The image's SIGQUIT is for php-fpm; the loop exits on SIGTERM between runs.
      stopSignal: "SIGTERM",
      stopGraceSeconds: 30,
      replicas: 1,
      singleton: true,
      aliases: [],
      // Never two schedulers at once, not even during a release.
      rollout: "stop-first",
    },
    nginx: {
      role: "app-nginx",
      image: "nginx",
      appEnvironment: false,
      release: s.release.nginxVersion,
      memoryMb: s.limits.nginxMemoryMb,
      files: [{
        path: names.NGINX_SITE_FILE,
        content: renderAppSite({ fpmHost: fpmAlias, fpmPort: names.FPM_PORT, root: names.PUBLIC_DIR, healthPath: names.NGINX_HEALTH_PATH, uploadsPath: names.UPLOADS_URL_PATH, maxBodySizeMb: s.edge.maxBodySizeMb }),
      }],
      mounts: [{ volume: "uploads", path: names.UPLOADS_IN_NGINX, readOnly: true }],
      health: httpHealth((pairing === "paired" ? appHealthPath : undefined) ?? names.NGINX_HEALTH_PATH),
      // nginx drains open connections on SIGQUIT.
      stopSignal: "SIGQUIT",
      stopGraceSeconds: 30,
      replicas: s.services.nginxReplicas,
      singleton: false,
      aliases: [names.APP_ALIAS],
      rollout: "start-first",
    },
  };
}
