/**
 * How Pulumi (3.248) sends a secret to the resource monitor: the outermost value containing
 * one arrives wrapped as `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. Shared by both kinds of mocks.
 */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretWrapper(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** Removes every secret wrapper, at any depth. */
export function unwrapSecrets<T = any>(v: unknown): T {
  if (isSecretWrapper(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map((x) => unwrapSecrets(x)) as T;
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)])) as T;
  }
  return v as T;
}

/**
 * Wraps an output value as secret. The engine does this for a resource's
 * `additionalSecretOutputs`; the mock monitor ignores that option, so mocks must do it.
 */
export function secret<T>(value: T): unknown {
  return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}
