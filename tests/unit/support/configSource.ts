import { ConfigSource } from "../../../stacks/configReader";

/** A ConfigSource over a plain table; keys ending in "!" are stored as secrets, undefined values are unset. */
export function configSource(values: Record<string, unknown>): ConfigSource {
  const raw: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    const key = k.replace(/!$/, "");
    raw[key] = typeof v === "string" ? v : JSON.stringify(v);
    if (k.endsWith("!")) secretKeys.add(key);
  }
  return { values: raw, secretKeys };
}
