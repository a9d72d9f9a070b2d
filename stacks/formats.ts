/**
 * The kinds of text a configuration value can be, each a pure check. A check returns what is
 * wrong with a value (to follow the value in a message), or undefined when it is fine.
 */
import { createPrivateKey, X509Certificate } from "crypto";
import { isIP } from "net";
import { isImageReference, isRegistryServer } from "./references";

export interface Format {
  /** What a valid value looks like, for the README's "allowed" column. */
  readonly describe: string;
  readonly check: (value: string) => string | undefined;
}

const pattern = (re: RegExp, describe: string, problem = `is not ${describe}`): Format => ({
  describe,
  check: (v) => (re.test(v) ? undefined : problem),
});

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function checkDockerHost(value: string): string | undefined {
  const url = parseUrl(value);
  const scheme = url?.protocol.replace(/:$/, "");
  if (!url || !["unix", "tcp", "ssh"].includes(scheme!)) return "is not a Docker host URL (unix://, tcp:// or ssh://)";
  if (scheme === "unix") return url.pathname.length > 1 && !url.host ? undefined : "must be unix:///absolute/path.sock";
  if (!url.hostname) return `must name a host (${scheme}://host${scheme === "tcp" ? ":2376" : ""})`;
  if (scheme === "tcp" && !url.port) return "must give a port (tcp://host:2376)";
  if (url.pathname !== "" && url.pathname !== "/") return "must not have a path";
  return undefined;
}

function checkHttpUrl(value: string): string | undefined {
  const url = parseUrl(value);
  if (!url || !["http:", "https:"].includes(url.protocol) || !url.hostname) return "is not an http:// or https:// URL";
  if (url.search || url.hash) return "must not have a query or fragment";
  return undefined;
}

/** Laravel's APP_KEY for AES-256: "base64:" and 32 random bytes. The value is never echoed. */
function checkAppKey(value: string): string | undefined {
  const bytes = value.startsWith("base64:") ? Buffer.from(value.slice(7), "base64") : undefined;
  return bytes?.length === 32 && /^[A-Za-z0-9+/]+=*$/.test(value.slice(7))
    ? undefined
    : 'is not "base64:" followed by 32 bytes in base64 (php artisan key:generate --show prints one)';
}

/** One or more PEM blocks of `label`, and nothing else; undefined when the text is anything else. */
export function pemBlocks(value: string, label: RegExp): string[] | undefined {
  const blocks: string[] = value.trim().match(/-----BEGIN ([A-Z ]+)-----\r?\n[A-Za-z0-9+/=\r\n]+-----END \1-----/g) ?? [];
  const rest = blocks.reduce((text: string, block) => text.replace(block, ""), value).trim();
  if (blocks.length === 0 || rest !== "") return undefined;
  return blocks.every((b) => label.test(b.slice(11, b.indexOf("-----", 11)))) ? blocks : undefined;
}

function checkCertificate(value: string): string | undefined {
  const blocks = pemBlocks(value, /^CERTIFICATE$/);
  if (!blocks) return "is not a PEM certificate chain (-----BEGIN CERTIFICATE----- blocks only)";
  try {
    for (const block of blocks) new X509Certificate(block);
  } catch {
    return "holds a PEM block that is not a valid X.509 certificate";
  }
  return undefined;
}

/** The key is never echoed. */
function checkPrivateKey(value: string): string | undefined {
  const blocks = pemBlocks(value, /^(RSA |EC )?PRIVATE KEY$/);
  if (blocks?.length !== 1) return "is not one unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)";
  try {
    createPrivateKey(blocks[0]);
  } catch {
    return "is a PEM block that is not a readable private key";
  }
  return undefined;
}

export const FORMATS = {
  text: pattern(/^\S(.*\S)?$/, "non-empty text", "must not be empty or start or end with spaces"),
  version: { describe: "a release version (v1.4.2, 1.4.2-rc.1)", check: () => undefined }, // checked with the environment
  image: { describe: "an image reference", check: (v) => (isImageReference(v) ? undefined : "is not a valid image reference") },
  ipAddress: { describe: "an IPv4 or IPv6 address", check: (v) => (isIP(v) ? undefined : "is not an IP address") },
  httpUrl: { describe: "an http:// or https:// URL", check: checkHttpUrl },
  dockerHost: { describe: "unix://, tcp://host:port or ssh://user@host", check: checkDockerHost },
  regionId: pattern(/^[a-z]{2,}(-[a-z0-9]+){1,4}$/, "an Alibaba Cloud region id (cn-hangzhou)"),
  dnsLabel: pattern(DNS_LABEL, "a DNS label (a-z, 0-9, '-')", "must be lower-case letters, digits and dashes (at most 63)"),
  hostname: { describe: "a host name or IP address", check: (v) => (HOSTNAME.test(v) || isIP(v) ? undefined : "is not a host name or IP address") },
  hostList: { describe: "host names or IP addresses, comma-separated", check: (v) => (v.split(",").every((h) => HOSTNAME.test(h) || isIP(h)) ? undefined : "is not a comma-separated list of host names or IP addresses") },
  registryServer: { describe: "host[:port]", check: (v) => (isRegistryServer(v) ? undefined : "is not a registry host[:port]") },
  acrInstanceId: pattern(/^cri-[a-z0-9]+$/, "an ACR instance id (cri-...)"),
  userName: pattern(/^[^\s:]+$/, "a user name without spaces or ':'"),
  size: pattern(/^[1-9]\d*[kmg]$/, "a size with a unit (10m, 512k, 1g)"),
  cpus: pattern(/^(?:\d+(?:\.\d{1,9})?|\.\d{1,9})$/, "a decimal number of CPUs (1.0, 0.5)"),
  sentinelName: pattern(/^[A-Za-z0-9._-]{1,64}$/, "letters, digits, '.', '_' or '-'", "must be letters, digits, '.', '_' or '-'"),
  queueList: pattern(/^[A-Za-z0-9_.:-]+(,[A-Za-z0-9_.:-]+)*$/, "queue names, comma-separated"),
  sqlName: pattern(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "an SQL identifier (letters, digits, '_')"),
  dockerName: pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a Docker object name"),
  nodeNames: pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]*(,[A-Za-z0-9][A-Za-z0-9_.-]*)*$/, "a comma-separated list of node names (values of the php-backend.node label)"),
  urlPath: pattern(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%\/-]*$/, "a URL path (/up)"),
  path: pattern(/^[^\0\n]+$/, "a directory path"),
  appKey: { describe: "base64:<32 bytes>", check: checkAppKey },
  pemCertificate: { describe: "a PEM certificate chain", check: checkCertificate },
  pemPrivateKey: { describe: "a PEM private key", check: checkPrivateKey },
  password: pattern(/^[^\n\r]{8,}$/, "at least 8 characters, one line", "must be at least 8 characters on one line"),
} as const satisfies Record<string, Format>;

export type FormatName = keyof typeof FORMATS;

/** An environment variable name as the shell and Docker accept it. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names that carry credentials by convention: they belong in appSecretEnv, never in appEnv. */
export const SECRET_LOOKING_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE|CREDENTIALS?|(^|_)KEY$|_KEY_)/;
