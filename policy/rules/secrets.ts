import { ResourceValidationPolicy, StackValidationPolicy, UnknownValueError } from "@pulumi/policy";
import type { PackContext } from "../context";
import { labelsOf, TYPES } from "./docker";

/**
 * No secret value in a label (any docker resource), a container's name or hostname, or an
 * image's build args: those are plain text in `docker inspect`, the image's history and the
 * state file.
 *
 * What the SDK hands a policy: the engine sends inputs with their secret markers, and
 * @pulumi/policy unwraps them before calling a policy (server.js makeAnalyzeRpcFun →
 * deserialize.js deserializeProperties(props, false)), so a policy sees plaintext and cannot
 * tell which inputs were secret. The rules therefore look for known secret values:
 *  - `no-secret-config-in-plain-fields` (per resource, before it is created): the values of
 *    the stack's secret config keys, which the CLI gives the pack decrypted;
 *  - `no-generated-secret-in-plain-fields` (per stack, after the plan or update): the outputs of
 *    RandomPassword and RandomBytes (generated APP_KEY, Redis and database passwords).
 * Limits: a secret that is transformed (base64, hashed, cut) is not found; secrets shorter than
 * MIN_CONTAINED characters match only a whole field; a secret from outside config and
 * @pulumi/random is not known; during a preview a new random value is unknown and so unchecked.
 */
export const MIN_CONTAINED = 8;

/** Each plain field that holds one of `secrets`, as `where` text; never the secret itself. */
export function secretHits(type: string, props: Record<string, any>, secrets: readonly string[]): string[] {
  if (secrets.length === 0) return [];
  const fields: [string, unknown][] = [];
  if (type.startsWith("docker:")) {
    (known(() => labelsOf(props)) ?? []).forEach((l, i) => {
      const key = known(() => l.label);
      const where = `label ${key ?? `#${i}`}`;
      fields.push([where, key], [where, known(() => l.value)]);
    });
  }
  if (type === TYPES.container) fields.push(["name", known(() => props.name)], ["hostname", known(() => props.hostname)]);
  if (type === TYPES.image) {
    const args = known(() => Object.keys(props.build?.args ?? {})) ?? [];
    for (const arg of args) fields.push([`build arg ${arg}`, known(() => props.build.args[arg])]);
  }
  const holds = (text: string) => secrets.some((s) => text === s || (s.length >= MIN_CONTAINED && text.includes(s)));
  return [...new Set(fields.filter(([, text]) => typeof text === "string" && holds(text)).map(([where]) => where))];
}

/** `read()`, or undefined while the value is unknown (a preview): an unknown value holds no known secret. */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof UnknownValueError) return undefined;
    throw e;
  }
}

export function noSecretConfig(ctx: PackContext): ResourceValidationPolicy {
  return {
    name: "no-secret-config-in-plain-fields",
    description: "No secret config value in labels, container names or image build args.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      for (const where of secretHits(args.type, args.props, ctx.secretValues)) {
        reportViolation(`${args.type.split(":").pop()} "${args.name}": ${where} holds the value of a secret config key`);
      }
    },
  };
}

/** Outputs of @pulumi/random that are secret (RandomPassword.result, RandomBytes.base64/hex). */
const GENERATED: Record<string, readonly string[]> = {
  [TYPES.randomPassword]: ["result", "bcryptHash"],
  [TYPES.randomBytes]: ["base64", "hex"],
};

export const noGeneratedSecret: StackValidationPolicy = {
  name: "no-generated-secret-in-plain-fields",
  description: "No generated secret (@pulumi/random) in labels, container names or image build args.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const secrets = args.resources.flatMap((r) => (GENERATED[r.type] ?? []).flatMap((key) => known(() => r.props[key]) ?? []))
      .filter((v): v is string => typeof v === "string" && v !== "");
    for (const r of args.resources) {
      for (const where of secretHits(r.type, r.props, secrets)) {
        reportViolation(`${r.type.split(":").pop()} "${r.name}": ${where} holds a generated secret`, r.urn);
      }
    }
  },
};
