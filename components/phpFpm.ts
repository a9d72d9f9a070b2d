import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { appLabels, appNetworks, AppRuntime } from "./appRuntime";
import { CREATE_FIRST, longRunning, shellHealthcheck } from "./containerSpec";
import { FPM_POOL_FILE, fpmHealthCommand, renderFpmPool } from "./render/phpFpmPool";
import { versionSlug } from "../stacks/references";

export interface PhpFpmArgs {
  readonly runtime: AppRuntime;
  readonly replicas: number;
  readonly maxChildren: number;
  readonly memoryMb: number;
}

/** The release's php-fpm containers, reachable on the stack network as `fpm-<release>`. */
export class PhpFpm extends pulumi.ComponentResource {
  /** Network alias this release's nginx sends PHP requests to. */
  readonly alias: string;
  readonly containers: docker.Container[];

  static aliasFor(release: string): string {
    return `fpm-${versionSlug(release)}`;
  }

  constructor(name: string, args: PhpFpmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:app:PhpFpm", name, {}, opts);
    const rt = args.runtime;
    this.alias = PhpFpm.aliasFor(rt.release);
    this.containers = Array.from({ length: args.replicas }, (_, i) =>
      new docker.Container(
        `${name}-${i}`,
        {
          image: rt.image,
          envs: rt.env,
          command: ["php-fpm8.2", "--nodaemonize", "--force-stderr"],
          uploads: [{ file: FPM_POOL_FILE, content: renderFpmPool({ maxChildren: args.maxChildren }) }],
          labels: appLabels(rt, "php-fpm"),
          healthcheck: shellHealthcheck(fpmHealthCommand()),
          // php-fpm finishes in-flight requests on SIGQUIT; SIGTERM would cut them off.
          stopSignal: "SIGQUIT",
          destroyGraceSeconds: 30,
          ...longRunning(rt.ctx, args.memoryMb, appNetworks(rt, [this.alias])),
        },
        { parent: this, ...CREATE_FIRST },
      ),
    );
    this.registerOutputs({ alias: this.alias });
  }
}
