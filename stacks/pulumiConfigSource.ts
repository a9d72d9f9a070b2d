import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./schema";

/**
 * The SDK's own test for a key stored encrypted (sdk/nodejs/runtime/config.ts `isConfigSecret`,
 * reading the PULUMI_CONFIG_SECRET_KEYS list the language host passes). It is exported by the
 * module but left out of the published typings, hence the typed require.
 */
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret: (fullKey: string) => boolean };

/** The running stack's configuration in the project's namespace. */
export function pulumiConfigSource(): { values: Record<string, string>; secretKeys: Set<string> } {
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    const [namespace, key] = fullKey.split(":", 2);
    if (namespace !== PROJECT || key === undefined) continue;
    values[key] = value;
    if (isConfigSecret(fullKey)) secretKeys.add(key);
  }
  return { values, secretKeys };
}
