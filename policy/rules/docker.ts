/**
 * How the program's Docker resources look to a policy: pulumi-docker 5.x type tokens and input
 * names, the role label every container carries (release/names.ts ROLE_LABEL), image references.
 * Policies compare type tokens rather than `args.isType(docker.Container)`, so the pack does not
 * need @pulumi/docker installed.
 */
export const TYPES = {
  container: "docker:index/container:Container",
  image: "docker:index/image:Image",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  service: "docker:index/service:Service",
  randomPassword: "random:index/randomPassword:RandomPassword",
  randomBytes: "random:index/randomBytes:RandomBytes",
} as const;

export const ROLE_LABEL = "php-backend.role";

export interface Label {
  readonly label: string;
  readonly value: string;
}

export interface Upload {
  readonly file: string;
  readonly content?: string;
}

export const labelsOf = (props: Record<string, any>): Label[] => props.labels ?? [];

export function roleOf(props: Record<string, any>): string | undefined {
  return labelsOf(props).find((l) => l.label === ROLE_LABEL)?.value;
}

export const uploadsOf = (props: Record<string, any>): Upload[] => props.uploads ?? [];

/** The edge's (and release nginx's) site configuration file. */
export const NGINX_SITE_FILE = "/etc/nginx/conf.d/default.conf";

export function uploadContent(props: Record<string, any>, file: string): string | undefined {
  return uploadsOf(props).find((u) => u.file === file)?.content;
}

/** Containers with `role` among `resources` (stack policies). */
export function containersWithRole<R extends { type: string; props: Record<string, any> }>(resources: readonly R[], role: string): R[] {
  return resources.filter((r) => r.type === TYPES.container && roleOf(r.props) === role);
}

export interface ImageRef {
  /** Registry and repository, e.g. `registry.example.com:5000/app/laravel-backend`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<hex>` after `@`, or the whole reference when it is an image id. */
  readonly digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Splits `[registry[:port]/]path[:tag][@sha256:…]`, or recognises a bare image id `sha256:…`. */
export function parseImageRef(ref: string): ImageRef {
  if (DIGEST.test(ref)) return { repository: "", digest: ref };
  const at = ref.indexOf("@");
  const digest = at >= 0 && DIGEST.test(ref.slice(at + 1)) ? ref.slice(at + 1) : undefined;
  const named = at >= 0 ? ref.slice(0, at) : ref;
  const colon = named.lastIndexOf(":");
  const hasTag = colon > named.lastIndexOf("/");
  return { repository: hasTag ? named.slice(0, colon) : named, tag: hasTag ? named.slice(colon + 1) : undefined, digest };
}

/** Pinned by content: a repo digest (`…@sha256:`) or an image id (`sha256:`). */
export const isByDigest = (ref: string) => parseImageRef(ref).digest !== undefined;

/** `latest`, said or implied (no tag and no digest: the engine pulls `latest`). */
export function isLatest(ref: string): boolean {
  const r = parseImageRef(ref);
  return r.tag === "latest" || (r.tag === undefined && r.digest === undefined);
}
