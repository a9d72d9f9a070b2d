import * as fs from "fs";
import * as path from "path";

/** Files that must never reach a build context: local env files and VCS metadata. */
export const FORBIDDEN_IN_CONTEXT = [".env", ".git"] as const;

/** Project-relative path of a file shipped under `templates/`. */
export function templatePath(...parts: string[]): string {
  return path.relative(process.cwd(), path.join(__dirname, "..", "..", "templates", ...parts)) || ".";
}

/**
 * Checks that the app directory exists and that its `.dockerignore` keeps `.env` files and
 * `.git` out of the build context (docker sends everything else to the engine).
 * Returns the problems; empty when the context is safe.
 */
export function checkBuildContext(appDir: string): string[] {
  if (!fs.existsSync(path.join(appDir, "."))) {
    return [`application directory "${appDir}" does not exist (config key appDir)`];
  }
  const ignoreFile = path.join(appDir, ".dockerignore");
  const patterns = fs.existsSync(ignoreFile)
    ? fs.readFileSync(ignoreFile, "utf8").split(/\r?\n/).map((l) => l.trim().replace(/^\/+|\/+$/g, ""))
    : [];
  const covers = (entry: string) =>
    patterns.some((p) => p === entry || p === `**/${entry}` || p === `${entry}*` || p === `**/${entry}*`);
  return FORBIDDEN_IN_CONTEXT.filter((entry) => !covers(entry)).map(
    (entry) => `${ignoreFile} must exclude "${entry}" so it never reaches the image build (add a line: ${entry})`,
  );
}
