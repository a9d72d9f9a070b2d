/**
 * How resource inputs reach `Mocks.newResource` (Pulumi 3.248), and small helpers to read them
 * strictly: an input the engine mocks do not implement is an error, never silently dropped.
 *
 * - Inputs are plain JSON values; keys whose value is undefined (including Outputs that never
 *   resolved to a value) are simply absent, so required fields are checked explicitly.
 * - A secret, or any object/array containing one, arrives wrapped as
 *   `{ [SECRET_SIG_KEY]: SECRET_SIG, value }` at the level of the outermost containing value.
 */
import { randomBytes } from "node:crypto";
import { isUnknown, UNKNOWN } from "./providerSchema";

export { isSecretWrapper, secret, SECRET_SIG, SECRET_SIG_KEY, unwrapSecrets } from "../secrets";

/** Replaces the mock monitor's `unknown` objects (a preview's unresolved inputs) by UNKNOWN, at any depth. */
export function markUnknowns<T = any>(v: unknown): T {
  if (isUnknown(v)) return UNKNOWN as T;
  if (Array.isArray(v)) return v.map((x) => markUnknowns(x)) as T;
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, markUnknowns(x)])) as T;
  return v as T;
}

const present = (v: unknown) => v !== undefined && v !== null;

/** Throws, naming the input, if `obj` has a (non-null) key outside `known`. */
export function onlyKnown(where: string, obj: object | null | undefined, known: readonly string[]): void {
  for (const [key, value] of Object.entries(obj ?? {})) {
    if (present(value) && !known.includes(key)) {
      throw new Error(`${where}: input "${key}" is not supported by the engine mocks`);
    }
  }
}

/** The value, or an error naming the input (absent usually means an Output with no value). */
export function required<T>(where: string, value: T | null | undefined): T {
  if (!present(value)) throw new Error(`${where} is required but has no value (an unresolved Output?)`);
  return value as T;
}

/** `[{label, value}]` (Pulumi's label lists) to a Docker labels map. */
export function labelMap(where: string, labels: readonly { label: string; value: string }[] | undefined) {
  const out: Record<string, string> = {};
  (labels ?? []).forEach((l, i) => {
    onlyKnown(`${where}[${i}]`, l, ["label", "value"]);
    out[required(`${where}[${i}].label`, l.label)] = required(`${where}[${i}].value`, l.value);
  });
  return out;
}

/** Pulumi's autonaming (the docker provider calls SetAutonaming): `<name>-<7 random hex>`. */
export function autoname(resourceName: string): string {
  return `${resourceName}-${randomBytes(4).toString("hex").slice(0, 7)}`;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration ("1m30s", "500ms") in nanoseconds, as the Engine API wants it. */
export function durationNs(where: string, d: string | undefined): number | undefined {
  if (d === undefined || d === null) return undefined;
  if (d === "0") return 0;
  const parts = [...d.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== d) {
    throw new Error(`${where}: "${d}" is not a duration like "5s" or "1m30s"`);
  }
  return Math.round(parts.reduce((ns, p) => ns + Number(p[1]) * UNIT_NS[p[2]], 0));
}

/** Megabytes (the provider's unit) to bytes. */
export const mb = (v: number | undefined) => (v === undefined || v === null ? undefined : v * 1024 * 1024);
