import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { APP_DIR_IN_IMAGE, appLabels, appNetworks, AppRuntime } from "./appRuntime";
import { DELETE_FIRST, longRunning, shellHealthcheck } from "../docker/containerSpec";
import { renderSchedulerLoop, schedulerHealthCommand } from "../../release/render/scheduler";

export interface SchedulerArgs {
  readonly runtime: AppRuntime;
  readonly memoryMb: number;
}

/** Exactly one container running Laravel's `schedule:run` every minute. */
export class Scheduler extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: SchedulerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:app:Scheduler", name, {}, opts);
    const rt = args.runtime;
    this.container = new docker.Container(
      name,
      {
        image: rt.image,
        envs: rt.env,
        command: ["sh", "-c", renderSchedulerLoop(APP_DIR_IN_IMAGE)],
        workingDir: APP_DIR_IN_IMAGE,
        labels: appLabels(rt, "scheduler"),
        healthcheck: shellHealthcheck(schedulerHealthCommand()),
        // The image's SIGQUIT is for php-fpm; the loop exits on SIGTERM between runs.
        stopSignal: "SIGTERM",
        destroyGraceSeconds: 30,
        ...longRunning(rt.ctx, args.memoryMb, appNetworks(rt, [])),
      },
      // Never two schedulers at once, not even during a release: remove the old one first.
      { parent: this, ...DELETE_FIRST },
    );
    this.registerOutputs({});
  }
}
