import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { APP_DIR_IN_IMAGE, appLabels, appNetworks, AppRuntime } from "./appRuntime";
import { CREATE_FIRST, longRunning, shellHealthcheck } from "../docker/containerSpec";
import { FPM_POOL_FILE, fpmHealthCommand, renderFpmPool } from "../../release/render/phpFpmPool";
import { versionSlug } from "../../stacks/references";
import { TAG_DIGEST_LENGTH } from "../images/imageContent";

export interface PhpFpmArgs {
  readonly runtime: AppRuntime;
  /** Network alias of this release's php-fpm containers (see `PhpFpm.aliasFor`). */
  readonly alias: string;
  readonly replicas: number;
  readonly maxChildren: number;
  readonly memoryMb: number;
}

/** The release's php-fpm containers, reachable on the stack network as `fpm-<release>`. */
export class PhpFpm extends pulumi.ComponentResource {
  /** Network alias this release's nginx sends PHP requests to. */
  readonly alias: string;
  readonly containers: docker.Container[];

  /**
   * `fpm-<version>-<content hash>` from the backend image tag, at most 63 characters (one DNS
   * label): old nginx containers keep talking to the old php-fpm while the new ones start.
   */
  static aliasFor(backendTag: string): string {
    const hash = backendTag.slice(-TAG_DIGEST_LENGTH);
    const version = versionSlug(backendTag.slice(0, -TAG_DIGEST_LENGTH - 1)).slice(0, 63 - 5 - TAG_DIGEST_LENGTH).replace(/-+$/, "");
    return `fpm-${version}-${hash}`;
  }

  constructor(name: string, args: PhpFpmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:app:PhpFpm", name, {}, opts);
    const rt = args.runtime;
    this.alias = args.alias;
    this.containers = Array.from({ length: args.replicas }, (_, i) =>
      new docker.Container(
        `${name}-${i}`,
        {
          image: rt.image,
          envs: rt.env,
          command: ["php-fpm8.2", "--nodaemonize", "--force-stderr"],
          workingDir: APP_DIR_IN_IMAGE,
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
