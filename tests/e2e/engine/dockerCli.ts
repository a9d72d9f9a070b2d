/**
 * A promise wrapper around the `docker` CLI, for what the CLI does better than raw API calls:
 * building (context tarball, .dockerignore), pulling, logging in and pushing.
 */
import { execFile } from "node:child_process";

export interface CliOptions {
  /** Written to the command's stdin (e.g. a password for `login --password-stdin`). */
  input?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Working directory (default: the process's). */
  cwd?: string;
}

export class DockerCliError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | string | undefined,
    readonly stderr: string,
    readonly stdout: string,
  ) {
    super(`\`docker ${args.join(" ")}\` failed (exit ${exitCode}):\n${(stderr || stdout).trim()}`);
  }
}

/** Runs `docker <args>`; resolves with stdout (trimmed), rejects with DockerCliError carrying stderr. */
export function docker(args: readonly string[], opts: CliOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "docker",
      args,
      { env: { ...process.env, ...opts.env }, cwd: opts.cwd, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new DockerCliError(args, (err as NodeJS.ErrnoException).code ?? undefined, stderr, stdout));
        else resolve(stdout.trim());
      },
    );
    child.stdin?.end(opts.input);
  });
}

/** `docker <args>`, but resolves with undefined instead of rejecting (for existence probes). */
export function dockerMaybe(args: readonly string[]): Promise<string | undefined> {
  return docker(args).catch(() => undefined);
}
