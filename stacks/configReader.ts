import * as pulumi from "@pulumi/pulumi";
import { FORMATS } from "./formats";
import { exampleOf, IntegerSpec, KEYS, KeyName, keySpec, PROJECT } from "./schema";

/** The stack's configuration in the project's namespace, as the engine hands it to the program. */
export interface ConfigSource {
  /** Every key set on the stack (or defaulted by Pulumi.yaml), with its raw text; objects as JSON. */
  readonly values: Readonly<Record<string, string>>;
  /** Keys stored encrypted (`pulumi config set --secret`). */
  readonly secretKeys: ReadonlySet<string>;
}

/** One thing wrong with the stack's configuration, with what fixes it (usually a command). */
export interface Problem {
  readonly key: string;
  readonly message: string;
  readonly fix: string;
}

export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `Invalid configuration for stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${PROJECT}:${p.key}: ${p.message}\n      fix: ${p.fix}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/**
 * Typed, checked reads of the stack's configuration. Every check comes from the key's schema
 * entry; every problem is collected instead of thrown, so one `pulumi preview` reports them all.
 * A value that fails its check reads as the key's default (or undefined), so reading goes on.
 */
export class ConfigReader {
  private readonly found: Problem[] = [];

  constructor(
    private readonly source: ConfigSource,
    readonly stack: string,
  ) {}

  get problems(): readonly Problem[] {
    return this.found;
  }

  /** The exact command that sets `key` to `value`. */
  setCommand(key: string, value: string, secret = false): string {
    const quoted = /^[A-Za-z0-9_.:\/@+=,-]+$/.test(value) ? value : `'${value}'`;
    return `pulumi config set ${secret ? "--secret " : ""}${key} ${quoted} --stack ${this.stack}`;
  }

  /** A problem with `key`, fixed by setting it to its example value. */
  report(key: KeyName, message: string, example = exampleOf(key)): void {
    this.found.push({ key, message, fix: this.setCommand(key, example, keySpec(key).secret) });
  }

  /** A problem whose fix is not a plain `set` (a map entry, a removal, a file to edit). */
  reportWithFix(key: string, message: string, fix: string): void {
    this.found.push({ key, message, fix });
  }

  isSet(key: KeyName): boolean {
    return this.source.values[key] !== undefined;
  }

  isSecretStored(key: KeyName): boolean {
    return this.source.secretKeys.has(key);
  }

  /** The raw text, trimmed; undefined when unset or blank. No check, no default. */
  raw(key: KeyName): string | undefined {
    const value = this.source.values[key]?.trim();
    return value === "" ? undefined : value;
  }

  /** A string key, checked against its format or allowed values; its default when unset or invalid. */
  string(key: KeyName): string | undefined {
    const spec = keySpec(key);
    const fallback = "default" in spec && typeof spec.default === "string" ? spec.default : undefined;
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if ("values" in spec) {
      if (spec.values.includes(value)) return value;
      this.report(key, `"${value}" is not one of ${spec.values.join(", ")}`);
      return fallback;
    }
    const problem = "format" in spec ? FORMATS[spec.format].check(value) : undefined;
    if (problem === undefined) return value;
    this.report(key, `"${value}" ${problem}`);
    return fallback;
  }

  requiredString(key: KeyName, why: string): string {
    const value = this.string(key);
    if (value === undefined && this.raw(key) === undefined) this.report(key, `is required ${why}`);
    return value ?? "";
  }

  /** One of the key's allowed values. */
  choice<T extends string>(key: KeyName): T {
    const spec = keySpec(key);
    if (!("values" in spec)) throw new Error(`${key} has no allowed values in the schema`);
    return (this.string(key) ?? spec.values[0]) as T;
  }

  /**
   * An integer within the schema's range; the default when unset or invalid. `fallback` stands in
   * for a default that depends on another key (the schema then has none).
   */
  integer(key: KeyName, fallback?: number): number {
    const spec = keySpec(key) as IntegerSpec;
    const byDefault = spec.default ?? fallback;
    if (byDefault === undefined) throw new Error(`${key} has no default in the schema: pass one`);
    const text = this.raw(key);
    if (text === undefined) return byDefault;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
      this.report(key, `"${text}" is not a whole number`);
    } else if (value < spec.min || value > spec.max) {
      this.report(key, `${value} is out of range: must be between ${spec.min} and ${spec.max}`);
    } else {
      return value;
    }
    return byDefault;
  }

  /**
   * A secret key as an Output marked secret, or undefined when unset. A value stored in plain
   * text is refused (it would sit unencrypted in the stack file), and so is one that fails its
   * check; neither message repeats the value.
   */
  secret(key: KeyName): pulumi.Output<string> | undefined {
    const value = this.source.values[key]; // untrimmed: a secret is used exactly as given
    if (value === undefined || value === "") return undefined;
    const spec = keySpec(key);
    if (!this.isSecretStored(key)) {
      this.report(key, "is a secret but is stored in plain text in the stack's configuration");
    } else if ("format" in spec) {
      const problem = FORMATS[spec.format].check(value);
      if (problem !== undefined) this.report(key, problem);
    }
    return pulumi.secret(value);
  }

  /**
   * A secret's text, for checks that span keys (does the key fit the certificate?). Never put it
   * in a message or a resource: resources get `secret(key)`.
   */
  secretTextForCheck(key: KeyName): string | undefined {
    return this.source.values[key] || undefined;
  }

  /** A JSON object key (set with `--path`), or undefined when unset. */
  object(key: KeyName): unknown {
    const text = this.source.values[key];
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  /** Keys of the project's namespace the program does not know, each with the closest known key. */
  checkUnknownKeys(): void {
    for (const key of Object.keys(this.source.values)) {
      if (key in KEYS) continue;
      const near = closestKey(key);
      this.reportWithFix(
        key,
        `is not a configuration key of this program${near ? `: did you mean ${near}?` : ""}`,
        `pulumi config rm ${key} --stack ${this.stack}${near ? `, then set ${near}` : ""}`,
      );
    }
  }

  /** Keys set as secrets that are not secret configuration: their values would be used in plain text. */
  checkNeedlessSecrets(): void {
    for (const key of this.source.secretKeys) {
      if (key in KEYS && !keySpec(key as KeyName).secret) {
        this.reportWithFix(key, "is stored as a secret but is plain configuration, used unencrypted", `pulumi config set ${key} <value> --stack ${this.stack} (without --secret)`);
      }
    }
  }

  /** Throws one ConfigError listing every problem found so far. */
  throwIfProblems(): void {
    if (this.found.length > 0) throw new ConfigError(this.stack, this.found);
  }
}

/** The known key nearest to `key` (same letters in another case, or at most 3 edits), if any. */
export function closestKey(key: string): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const known of Object.keys(KEYS)) {
    const distance = known.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key.toLowerCase(), known.toLowerCase());
    if (distance <= Math.min(3, Math.floor(known.length / 3)) && (!best || distance < best.distance)) best = { key: known, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
