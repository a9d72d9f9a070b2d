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
  /** The CLI binary (default: `docker` from PATH). */
  binary?: string;
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
      opts.binary ?? "docker",
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
export function dockerMaybe(args: readonly string[], opts: CliOptions = {}): Promise<string | undefined> {
  return docker(args, opts).catch(() => undefined);
}

let buildKit: Promise<string> | undefined;
/**
 * A CLI that builds with BuildKit, the docker provider's builder: `docker` when it has the buildx
 * plugin, otherwise a client older than 23.0 (Debian's docker.io, /usr/bin/docker), whose
 * built-in BuildKit `DOCKER_BUILDKIT=1` turns on. Rejects when there is neither.
 */
export function buildKitCli(): Promise<string> {
  return (buildKit ??= (async () => {
    if (await dockerMaybe(["buildx", "version"])) return "docker";
    for (const binary of ["/usr/bin/docker", "docker"]) {
      const version = await dockerMaybe(["version", "--format", "{{.Client.Version}}"], { binary });
      if (version && Number(version.split(".")[0]) < 23) return binary;
    }
    throw new Error("no docker CLI that builds with BuildKit: install the buildx plugin or Debian's docker.io");
  })());
}
