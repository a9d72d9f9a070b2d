import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { APP_DIR_IN_IMAGE, appLabels, appNetworks, AppRuntime } from "./appRuntime";
import { CREATE_FIRST, longRunning, shellHealthcheck } from "../docker/containerSpec";
import { WorkerSettings } from "../../stacks/types";

export interface QueueWorkerArgs {
  readonly runtime: AppRuntime;
  readonly replicas: number;
  readonly worker: WorkerSettings;
  readonly memoryMb: number;
}

export function workerCommand(w: WorkerSettings): string[] {
  return [
    "php", "artisan", "queue:work", "redis",
    `--queue=${w.queue}`,
    `--sleep=${w.sleepSeconds}`,
    `--tries=${w.tries}`,
    `--max-time=${w.maxTimeSeconds}`,
  ];
}

/** `php artisan queue:work` containers; on SIGTERM a worker finishes its current job first. */
export class QueueWorker extends pulumi.ComponentResource {
  readonly containers: docker.Container[];

  constructor(name: string, args: QueueWorkerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:app:QueueWorker", name, {}, opts);
    const rt = args.runtime;
    this.containers = Array.from({ length: args.replicas }, (_, i) =>
      new docker.Container(
        `${name}-${i}`,
        {
          image: rt.image,
          envs: rt.env,
          command: workerCommand(args.worker),
          workingDir: APP_DIR_IN_IMAGE,
          labels: appLabels(rt, "worker"),
          healthcheck: shellHealthcheck("tr '\\0' ' ' < /proc/1/cmdline | grep -q 'artisan queue:work'"),
          stopSignal: "SIGTERM",
          stopTimeout: args.worker.stopGraceSeconds,
          destroyGraceSeconds: args.worker.stopGraceSeconds,
          ...longRunning(rt.ctx, args.memoryMb, appNetworks(rt, [])),
        },
        // The old worker finishes its job while the new one already takes the next.
        { parent: this, ...CREATE_FIRST },
      ),
    );
    this.registerOutputs({});
  }
}
