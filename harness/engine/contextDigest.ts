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
import { contextEntries } from "../../components/images/imageContent";

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

function entry(name: string, mode: number, contentSha256: Buffer): Buffer {
  return Buffer.concat([Buffer.from(name + goFileMode(mode)), contentSha256, Buffer.from([0])]);
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest();

/**
 * hashContext(context, dockerfile), both absolute paths. The walk (fsutil.Walk with the patterns
 * of getIgnorePatterns: `<dockerfile>.dockerignore` first, else `<context>/.dockerignore`) is the
 * program's contextEntries, which lists the same files in the same order; directories are skipped
 * and a symlink is hashed by the path it resolves to (filepath.EvalSymlinks), as hashPath does.
 */
export function contextDigest(context: string, dockerfile: string): string {
  const parts = [entry("Dockerfile", 0, sha256(fs.readFileSync(dockerfile)))];
  for (const e of contextEntries(context, dockerfile)) {
    const type = e.mode & fs.constants.S_IFMT;
    if (type === fs.constants.S_IFDIR) continue;
    const content = type === fs.constants.S_IFLNK ? sha256(fs.realpathSync(path.join(context, e.path))) : Buffer.from(e.content, "hex");
    parts.push(entry(e.path, e.mode, content));
  }
  return createHash("sha256").update(Buffer.concat(parts)).digest("hex");
}
