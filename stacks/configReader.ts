import * as pulumi from "@pulumi/pulumi";
import { KEYS, KeyName, PROJECT } from "./schema";

/** Where raw configuration comes from: `pulumi.Config` in the program, a plain table in tests. */
export interface ConfigSource {
  get(key: string): string | undefined;
  getSecret(key: string): pulumi.Output<string> | undefined;
  getObject<T>(key: string): T | undefined;
  getSecretObject<T>(key: string): pulumi.Output<T> | undefined;
}

/** One thing wrong with the stack's configuration, with the command that fixes it. */
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
 * Reads typed values from a ConfigSource, applying the schema's defaults and collecting every
 * problem instead of stopping at the first, so one `pulumi preview` reports them all.
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

  /** The exact command that sets `key`; `example` is a value that would be valid. */
  fixFor(key: string, example: string, secret = false): string {
    const quoted = /^[A-Za-z0-9_.:\/@+=-]+$/.test(example) ? example : `'${example}'`;
    return `pulumi config set ${secret ? "--secret " : ""}${key} ${quoted} --stack ${this.stack}`;
  }

  report(key: string, message: string, example: string, secret = false): void {
    this.found.push({ key, message, fix: this.fixFor(key, example, secret) });
  }

  /** For keys set by path (maps): `setArgs` is what follows `pulumi config set`. */
  reportPath(key: string, message: string, setArgs: string): void {
    this.found.push({ key, message, fix: `pulumi config set ${setArgs} --stack ${this.stack}` });
  }

  string(key: KeyName): string | undefined {
    const raw = this.source.get(key);
    if (raw !== undefined && raw.trim() !== "") return raw.trim();
    const fallback = (KEYS[key] as { default?: unknown }).default;
    return fallback === undefined ? undefined : String(fallback);
  }

  requiredString(key: KeyName, example: string, why: string): string {
    const value = this.string(key);
    if (value === undefined) this.report(key, `is required ${why}`, example);
    return value ?? "";
  }

  oneOf<T extends string>(key: KeyName, allowed: readonly T[]): T {
    const value = this.string(key) ?? allowed[0];
    if (!(allowed as readonly string[]).includes(value)) {
      this.report(key, `"${value}" is not one of ${allowed.join(", ")}`, allowed[0]);
      return allowed[0];
    }
    return value as T;
  }

  integer(key: KeyName, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
    const text = this.string(key);
    const fallback = Number((KEYS[key] as { default?: unknown }).default ?? min);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
      this.report(key, `"${text}" is not a whole number`, String(fallback));
      return fallback;
    }
    if (value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
      this.report(key, `${value} is out of range: must be ${range}`, String(Math.min(Math.max(fallback, min), max)));
      return fallback;
    }
    return value;
  }

  /** A secret is never defaulted: it stays an Output, or undefined when the stack does not set it. */
  secret(key: KeyName): pulumi.Output<string> | undefined {
    return this.source.getSecret(key);
  }

  object<T>(key: string): T | undefined {
    return this.source.getObject<T>(key);
  }

  secretObject<T>(key: string): pulumi.Output<T> | undefined {
    return this.source.getSecretObject<T>(key);
  }

  /** Throws one ConfigError listing every problem found so far. */
  throwIfProblems(): void {
    if (this.found.length > 0) throw new ConfigError(this.stack, this.found);
  }
}
