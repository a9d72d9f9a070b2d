/**
 * docker.Image's Check: pulumi-docker provider/provider.go adds `build.contextDigest`, computed by
 * hashContext, to the inputs, so any change to the Dockerfile or the build context is a diff
 * (an update: rebuild and push under the same imageName).
 *
 * hashContext / contextHashAccumulator.hashPath: the Dockerfile first, under the name
 * "Dockerfile" and mode 0; then every non-directory entry fsutil.Walk yields (lexical order,
 * `.dockerignore` patterns from getIgnorePatterns applied), each as its relative path, Go's
 * FileMode.String() and the sha256 of its content (a symlink: of its resolved path), then a NUL
 * byte. The digest is the hex sha256 of all of it.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { dockerignoreMatcher, readDockerignore } from "../../../components/dockerignore";

/** Go's fs.FileMode.String() for a Node stat mode (regular files, symlinks, directories). */
export function goFileMode(mode: number): string {
  const types = [
    [fs.constants.S_IFMT & mode, fs.constants.S_IFDIR, "d"],
    [fs.constants.S_IFMT & mode, fs.constants.S_IFLNK, "L"],
    [mode & 0o4000, 0o4000, "u"],
    [mode & 0o2000, 0o2000, "g"],
    [mode & 0o1000, 0o1000, "t"],
  ] as const;
  const kind = types.filter(([bits, want]) => bits === want && want !== 0).map(([, , c]) => c).join("");
  const rwx = "rwxrwxrwx".split("").map((c, i) => (mode & (1 << (8 - i)) ? c : "-")).join("");
  return (kind || "-") + rwx;
}

/** getIgnorePatterns: `<dockerfile>.dockerignore` first, else `<context>/.dockerignore`. */
function walk(context: string, dockerfile: string): string[] {
  const ignore = dockerignoreMatcher(readDockerignore(context, dockerfile));
  const files: string[] = [];
  const visit = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const full = path.join(dir, name);
      const excluded = ignore.excludes(relPath);
      if (fs.lstatSync(full).isDirectory()) {
        if (!excluded || ignore.hasExceptions) visit(full, relPath);
      } else if (!excluded) {
        files.push(relPath);
      }
    }
  };
  visit(context, "");
  return files;
}

function entry(file: string, name: string, mode: number): Buffer {
  const content = createHash("sha256");
  if ((mode & fs.constants.S_IFMT) === fs.constants.S_IFLNK) content.update(fs.realpathSync(file));
  else content.update(fs.readFileSync(file));
  return Buffer.concat([Buffer.from(name + goFileMode(mode)), content.digest(), Buffer.from([0])]);
}

/** hashContext(context, dockerfile), both absolute paths. */
export function contextDigest(context: string, dockerfile: string): string {
  const parts = [entry(dockerfile, "Dockerfile", 0)];
  for (const rel of walk(context, dockerfile)) {
    const full = path.join(context, rel);
    parts.push(entry(full, rel, fs.lstatSync(full).mode));
  }
  return createHash("sha256").update(Buffer.concat(parts)).digest("hex");
}
