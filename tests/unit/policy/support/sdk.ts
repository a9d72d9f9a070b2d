/**
 * The pack's own SDK, resolved from policy/node_modules as the pack's modules resolve it (a bare
 * "@pulumi/policy" from tests/ would look in the root node_modules, which does not have it).
 * Needs `npm ci --prefix policy`.
 */
import * as path from "path";

export * from "../../../../policy/node_modules/@pulumi/policy";

export const POLICY_DIR = path.resolve(__dirname, "../../../../policy");

/** A module of the pack's dependencies, by its path inside policy/node_modules (untyped internals). */
export function packModule<T>(name: string): T {
  return require(require.resolve(name, { paths: [POLICY_DIR] })) as T;
}
