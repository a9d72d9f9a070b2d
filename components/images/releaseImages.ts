import * as pulumi from "@pulumi/pulumi";
import { imageRepositories } from "../../release/names";
import { StackSettings } from "../../stacks/types";
import { BackendImage } from "./backendImage";
import { NginxImage } from "./nginxImage";
import { Registry } from "./registry";

/** The registry and the two release images pushed to it, for any target. */
export function releaseImages(parent: pulumi.Resource, name: string, s: StackSettings, prefix: string) {
  const child = { parent };
  const repos = imageRepositories(s.app.name);
  const registry = new Registry(
    `${name}-registry`,
    { settings: s.registry, repositories: [repos.backend, repos.nginx], localImage: s.images.registry, stack: prefix, limits: s.limits },
    child,
  );
  const backend = new BackendImage(
    `${name}-backend-image`,
    { registry, repository: repos.backend, version: s.release.backendVersion, appDir: s.app.dir, dockerfile: s.app.dockerfile, baseImage: s.images.phpBase },
    child,
  );
  const nginx = new NginxImage(
    `${name}-nginx-image`,
    { registry, repository: repos.nginx, version: s.release.nginxVersion, appDir: s.app.dir, baseImage: s.images.nginxBase },
    child,
  );
  return { registry, backend, nginx };
}
