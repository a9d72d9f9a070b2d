/** Pure checks for release versions and image references. */

/**
 * A version usable in a docker tag (128 characters of [A-Za-z0-9_.-], not starting with '.' or
 * '-'), leaving room for the "-<12 hex>" content suffix of the release tag.
 */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,114}$/;

/** Semantic version with an optional leading "v" and optional pre-release/build suffix. */
const SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export type VersionCheck = { ok: true } | { ok: false; reason: string };

export function checkVersion(version: string, isProd: boolean): VersionCheck {
  if (version === "latest") {
    return isProd
      ? { ok: false, reason: `"latest" is refused in prod: a release must name a version you can roll back to` }
      : { ok: true };
  }
  if (!TAG.test(version)) return { ok: false, reason: `"${version}" is not a valid image tag of at most 115 characters` };
  if (!SEMVER.test(version)) {
    return { ok: false, reason: `"${version}" is not a release version like v1.4.2 or 1.4.2-rc.1` };
  }
  return { ok: true };
}

/** The label-safe form of a version, used in network aliases: "v1.4.2" → "v1-4-2". */
export function versionSlug(version: string): string {
  return version.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

// Grammar of docker/distribution's reference package, reduced to what a config value needs.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?)`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE = new RegExp(`^${NAME}(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);

export function isImageReference(value: string): boolean {
  return value.length <= 255 && REFERENCE.test(value);
}

/** A registry host with an optional port, e.g. registry.cn-hangzhou.aliyuncs.com or 127.0.0.1:5000. */
export function isRegistryServer(value: string): boolean {
  return new RegExp(`^${DOMAIN}$`).test(value);
}
