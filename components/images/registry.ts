import * as alicloud from "@pulumi/alicloud";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { LimitSettings, RegistrySettings } from "../../stacks/types";
import { CREATE_FIRST, DELETE_FIRST, labels, logging, memoryLimit, shellHealthcheck } from "../docker/containerSpec";
import { BuildSpec, releaseTag } from "./imageContent";

const REGISTRY_INTERNAL_PORT = 5000;
/** The registry only stores and serves one stack's release images. */
const REGISTRY_MEMORY_MB = 256;

export interface RegistryArgs {
  /** Which registry, and its credentials (secret). */
  readonly settings: RegistrySettings;
  /** Repository names to create (ACR) or address (local, external), e.g. `laravel-backend`. */
  readonly repositories: readonly string[];
  /** Image of the local registry container (kind `local` only). */
  readonly localImage: string;
  readonly stack: string;
  readonly limits: LimitSettings;
}

/** A pushed release image and the tag it was pushed under. */
export interface PushedImage {
  readonly resource: docker.Image;
  /** `<version>-<content digest>`, known at plan time. */
  readonly tag: string;
}

/**
 * Where the release images are pushed: a registry container on the local engine (published on
 * 127.0.0.1 only), Alibaba Cloud Container Registry (Personal or Enterprise Edition) with one
 * repository per image, or any external registry.
 */
export class Registry extends pulumi.ComponentResource {
  /** Registry host[:port] images are pushed to and pulled from. */
  readonly server: pulumi.Output<string>;
  readonly username: pulumi.Output<string | undefined>;
  /** Secret. */
  readonly password: pulumi.Output<string | undefined>;
  /** Resources that must exist before a push (the registry container, ACR repositories). */
  readonly ready: pulumi.Resource[];
  private readonly namespace: string;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("php-backend:registry:Registry", name, {}, opts);
    const s = args.settings;
    this.namespace = s.namespace;

    if (s.kind === "local") {
      this.ready = [this.localRegistry(name, args, s.port)];
      this.server = pulumi.output(`127.0.0.1:${s.port}`);
      this.username = pulumi.output(undefined);
      this.password = pulumi.output(undefined);
    } else {
      this.ready = s.kind === "acr" ? this.acrRepositories(name, args, s) : [];
      this.server = pulumi.output(s.server);
      this.username = pulumi.output(s.username);
      this.password = pulumi.secret(s.password);
    }
    this.registerOutputs({ server: this.server, username: this.username, password: this.password });
  }

  /** `<server>/<namespace>/<repository>:<tag>` */
  imageName(repository: string, tag: string): pulumi.Output<string> {
    return pulumi.interpolate`${this.server}/${this.namespace}/${repository}:${tag}`;
  }

  /**
   * Builds `build` for linux/amd64 and pushes it as `<repository>:<version>-<content digest>` (a
   * child of `parent`), once the registry is ready. The tag changes whenever what is built
   * changes, so no push ever moves an existing tag; consumers use the digest, never the tag.
   */
  push(parent: pulumi.Resource, name: string, repository: string, version: string, build: BuildSpec): PushedImage {
    const spec = { ...build, platform: "linux/amd64" };
    const tag = releaseTag(version, spec);
    const resource = new docker.Image(
      name,
      {
        imageName: this.imageName(repository, tag),
        build: { context: spec.context, dockerfile: spec.dockerfile, args: { ...spec.args }, platform: spec.platform },
        registry: { server: this.server, username: this.username, password: this.password },
        // A preview builds and pushes nothing and needs no Docker engine.
        buildOnPreview: false,
      },
      { parent, dependsOn: this.ready, ...CREATE_FIRST },
    );
    return { resource, tag };
  }

  private localRegistry(name: string, args: RegistryArgs, port: number): docker.Container {
    const image = new docker.RemoteImage(`${name}-image`, { name: args.localImage, keepLocally: true }, { parent: this, ...CREATE_FIRST });
    const data = new docker.Volume(`${name}-data`, { name: `${args.stack}-registry-data` }, { parent: this, ...DELETE_FIRST });
    return new docker.Container(
      name,
      {
        name: `${args.stack}-registry`,
        image: image.imageId,
        restart: "unless-stopped",
        ports: [{ internal: REGISTRY_INTERNAL_PORT, external: port, ip: "127.0.0.1" }],
        volumes: [{ volumeName: data.name, containerPath: "/var/lib/registry" }],
        labels: labels(args.stack, "registry"),
        // registry:2 (Alpine) has busybox wget; /v2/ answers 200 once it serves.
        healthcheck: shellHealthcheck(`wget -q -O /dev/null http://127.0.0.1:${REGISTRY_INTERNAL_PORT}/v2/`),
        // Created only once it serves, so the image pushes that follow find it up.
        wait: true,
        waitTimeout: 120,
        ...memoryLimit(REGISTRY_MEMORY_MB),
        cpus: args.limits.cpus,
        ...logging(args.limits),
      },
      // A fixed host port: the old container must go before the new one can bind it.
      { parent: this, ...DELETE_FIRST },
    );
  }

  private acrRepositories(name: string, args: RegistryArgs, s: Extract<RegistrySettings, { kind: "acr" }>): pulumi.Resource[] {
    const provider = new alicloud.Provider(`${name}-alicloud`, { region: s.region }, { parent: this });
    const opts = { parent: this, provider };
    const summary = (repo: string) => `${repo} images of the ${args.stack} stack`;

    if (s.instanceId) {
      const ns = new alicloud.cs.RegistryEnterpriseNamespace(
        `${name}-namespace`,
        { instanceId: s.instanceId, name: s.namespace, autoCreate: false, defaultVisibility: "PRIVATE" },
        opts,
      );
      return args.repositories.map(
        (repo) =>
          new alicloud.cs.RegistryEnterpriseRepo(
            `${name}-${repo}`,
            { instanceId: s.instanceId!, namespace: ns.name, name: repo, repoType: "PRIVATE", summary: summary(repo) },
            opts,
          ),
      );
    }

    const ns = new alicloud.cr.Namespace(
      `${name}-namespace`,
      { name: s.namespace, autoCreate: false, defaultVisibility: "PRIVATE" },
      opts,
    );
    return args.repositories.map(
      (repo) =>
        new alicloud.cr.Repo(
          `${name}-${repo}`,
          { namespace: ns.name, name: repo, repoType: "PRIVATE", summary: summary(repo) },
          opts,
        ),
    );
  }
}
