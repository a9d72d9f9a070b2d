/**
 * What an image is built from, reduced to a digest the program computes at plan time: every file
 * of the build context the Docker CLI would send (after `.dockerignore`) with its path, type,
 * mode and content, the Dockerfile, and the build arguments. The release tag carries a prefix of
 * it, so a registry tag never names two different builds.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { TAG_DIGEST_LENGTH } from "../../release/names";
import { dockerignoreMatcher, readDockerignore } from "./dockerignore";

export interface BuildSpec {
  /** Build context directory. */
  readonly context: string;
  /** Dockerfile path (may lie outside the context). */
  readonly dockerfile: string;
  /** Non-secret build arguments. */
  readonly args: Readonly<Record<string, string>>;
  readonly platform?: string;
}

export interface ContextEntry {
  /** Context-relative path with `/`. */
  readonly path: string;
  /** File type and permission bits, as stat reports them. */
  readonly mode: number;
  /** sha256 of a file's content, or a symlink's target; empty for a directory. */
  readonly content: string;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** The entries of `context` that a build would receive, sorted by path. */
export function contextEntries(context: string, dockerfile?: string): ContextEntry[] {
  const ignore = dockerignoreMatcher(readDockerignore(context, dockerfile));
  const entries: ContextEntry[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, name);
      const stat = fs.lstatSync(full);
      const excluded = ignore.excludes(relPath);
      if (stat.isDirectory()) {
        if (excluded && !ignore.hasExceptions) continue;
        if (!excluded) entries.push({ path: relPath, mode: stat.mode, content: "" });
        walk(full, relPath);
      } else if (!excluded) {
        const content = stat.isSymbolicLink() ? sha256(fs.readlinkSync(full)) : sha256(fs.readFileSync(full));
        entries.push({ path: relPath, mode: stat.mode, content });
      }
    }
  };
  walk(context, "");
  return entries;
}

/** Digest of everything a build of `spec` depends on that the program controls. */
export function buildDigest(spec: BuildSpec): string {
  const hash = createHash("sha256");
  for (const e of contextEntries(spec.context, spec.dockerfile)) hash.update(`${e.path}\0${e.mode.toString(8)}\0${e.content}\n`);
  hash.update(`dockerfile\0${sha256(fs.readFileSync(spec.dockerfile))}\n`);
  for (const key of Object.keys(spec.args).sort()) hash.update(`arg\0${key}\0${spec.args[key]}\n`);
  hash.update(`platform\0${spec.platform ?? ""}\n`);
  return hash.digest("hex");
}

/** `<version>-<first 12 hex of the build digest>`, e.g. `v1.4.2-3f9c0a1b2c3d`. */
export function releaseTag(version: string, spec: BuildSpec): string {
  return `${version}-${buildDigest(spec).slice(0, TAG_DIGEST_LENGTH)}`;
}
