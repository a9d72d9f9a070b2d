/**
 * What the provider's Docker client (github.com/docker/docker v28.5.2 client) does to a service
 * spec before sending it, and the swarm calls the provider makes through it.
 * client/service_create.go ServiceCreate and client/service_update.go ServiceUpdate: the image gets
 * a `latest` tag when it has neither tag nor digest (imageWithTagString); ServiceCreate with
 * QueryRegistry (the provider sets it on create only) asks the daemon for the image's registry
 * digest and platforms (DistributionInspect, GET /distribution/<image>/json) and, when that works,
 * pins the image to the digest unless it has one (imageWithDigestString) and sets
 * Placement.Platforms to the manifest's platforms ("arm" architecture cleared); when it fails the
 * image stays as it is (a warning the provider ignores). The X-Registry-Auth header is the
 * provider's retrieveAndMarshalAuth: base64url of the JSON of an empty AuthConfig ("{}"), as
 * neither `auth` nor a provider registry_auth is supported here.
 */
import { engine } from "./dockerApi";

type O = Record<string, any>;
/** base64.URLEncoding (padded) of json.Marshal(registry.AuthConfig{}): "e30=". */
export const REGISTRY_AUTH = Buffer.from("{}").toString("base64").replace(/\+/g, "-").replace(/\//g, "_");

// distribution/reference (reference.go, regexp.go, normalize.go), as far as these calls need it.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:localhost|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

interface Ref {
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
}

/** reference.ParseNormalizedNamed; undefined where it returns an error. */
export function parseNormalizedNamed(s: string): Ref | undefined {
  if (/^[a-f0-9]{64}$/.test(s)) return undefined; // "cannot specify 64-byte hexadecimal strings"
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  // normalize.go splitDockerDomain: a first component with '.' or ':', or "localhost", is a domain.
  let domain = "docker.io";
  let path = rest;
  if (first && (first.includes(".") || first.includes(":") || first === "localhost" || first !== first.toLowerCase())) {
    domain = first;
    path = rest.slice(slash + 1);
  }
  if (domain === "index.docker.io") domain = "docker.io";
  if (domain === "docker.io" && !path.includes("/")) path = `library/${path}`;
  if (!DOMAIN.test(domain) || path.split("/").some((c) => !COMPONENT.test(c))) return undefined;
  return { domain, path, tag, digest };
}

/** reference.FamiliarString. */
function familiar(r: Ref): string {
  let name = r.domain === "docker.io" ? r.path : `${r.domain}/${r.path}`;
  if (r.domain === "docker.io" && /^library\/[^/]+$/.test(r.path)) name = r.path.slice("library/".length);
  return `${name}${r.tag ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;
}

/** service_create.go imageWithTagString: "" when the reference does not parse. */
export function imageWithTagString(image: string): string {
  const r = parseNormalizedNamed(image);
  if (!r) return "";
  return familiar(!r.tag && !r.digest ? { ...r, tag: "latest" } : r);
}

/** service_create.go imageWithDigestString: adds the digest (keeping the tag) unless there is one. */
export function imageWithDigestString(image: string, digest: string): string {
  const r = parseNormalizedNamed(image);
  if (r && !r.digest && DIGEST.test(digest)) return familiar({ ...r, digest });
  return image;
}

const HEADERS = { "X-Registry-Auth": REGISTRY_AUTH };

function tagImage(spec: O): void {
  const cs = spec.TaskTemplate.ContainerSpec;
  const tagged = imageWithTagString(cs.Image ?? "");
  if (tagged !== "") cs.Image = tagged;
}

/** client.ServiceCreate with QueryRegistry: true. Returns the service id. */
export async function serviceCreate(spec: O): Promise<string> {
  tagImage(spec);
  const cs = spec.TaskTemplate.ContainerSpec;
  const dist = await engine<O>("GET", `/distribution/${cs.Image}/json`, undefined, { headers: HEADERS }).catch(() => undefined);
  if (dist) {
    // registry.DistributionInspect: an OCI descriptor and OCI platforms (lower-case JSON keys).
    cs.Image = imageWithDigestString(cs.Image, dist.Descriptor?.digest ?? "");
    const platforms = (dist.Platforms ?? []).map((p: O) => ({ Architecture: String(p.architecture).toLowerCase() === "arm" ? "" : p.architecture, OS: p.os }));
    if (platforms.length > 0) spec.TaskTemplate.Placement = { ...(spec.TaskTemplate.Placement ?? {}), Platforms: platforms };
  }
  const created = await engine<{ ID: string }>("POST", "/services/create", spec, { headers: HEADERS });
  return created.ID;
}

/** client.ServiceUpdate (no QueryRegistry: the provider does not set it on update). */
export async function serviceUpdate(id: string, version: number, spec: O): Promise<void> {
  tagImage(spec);
  await engine("POST", `/services/${id}/update?version=${version}`, spec, { headers: HEADERS });
}

export const inspectService = (id: string) => engine<O>("GET", `/services/${encodeURIComponent(id)}`);

/** client.TaskList with filters. */
export const taskList = (f: Record<string, string[]>) => engine<O[]>("GET", `/tasks?filters=${encodeURIComponent(JSON.stringify(f))}`);

/** resource_docker_service_funcs.go getActiveNodes: every node whose state is not "down". */
export async function activeNodes(): Promise<Set<string>> {
  const nodes = await engine<O[]>("GET", "/nodes");
  return new Set(nodes.filter((n) => n.Status?.State !== "down").map((n) => n.ID));
}
