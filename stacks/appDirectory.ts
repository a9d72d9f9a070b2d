/** Checks of the application directory, made with the settings so they are reported with them. */
import * as fs from "fs";
import * as path from "path";

/** Files that must never reach a build context: local env files and VCS metadata. */
export const FORBIDDEN_IN_CONTEXT = [".env", ".git"] as const;

export interface DirectoryProblem {
  readonly message: string;
  readonly fix: string;
}

/**
 * What keeps `appDir` from being built into the release images: it must be a Laravel
 * application's root (`artisan`, `public/`), and its `.dockerignore` must keep `.env` files and
 * `.git` out of the build context. Empty when it can be built.
 */
export function checkAppDirectory(appDir: string, setAppDir: string): DirectoryProblem[] {
  const where = path.resolve(appDir);
  if (!fs.existsSync(where) || !fs.statSync(where).isDirectory()) {
    return [{ message: `"${appDir}" is not a directory (resolved to ${where})`, fix: setAppDir }];
  }
  const problems: DirectoryProblem[] = [];
  if (!fs.existsSync(path.join(where, "artisan"))) {
    problems.push({ message: `"${appDir}" is not a Laravel application's root: it has no artisan file`, fix: setAppDir });
  }
  if (!fs.existsSync(path.join(where, "public"))) {
    problems.push({ message: `"${appDir}" has no public/ directory (the nginx image's content)`, fix: setAppDir });
  }
  return [...problems, ...checkBuildContext(appDir)];
}

/** The entries of FORBIDDEN_IN_CONTEXT that `<appDir>/.dockerignore` fails to exclude. */
export function checkBuildContext(appDir: string): DirectoryProblem[] {
  const ignoreFile = path.join(appDir, ".dockerignore");
  const patterns = fs.existsSync(ignoreFile)
    ? fs.readFileSync(ignoreFile, "utf8").split(/\r?\n/).map((l) => l.trim().replace(/^\/+|\/+$/g, ""))
    : [];
  const covers = (entry: string) =>
    patterns.some((p) => p === entry || p === `**/${entry}` || p === `${entry}*` || p === `**/${entry}*`);
  return FORBIDDEN_IN_CONTEXT.filter((entry) => !covers(entry)).map((entry) => ({
    message: `${ignoreFile} must exclude "${entry}" so it never reaches the image build`,
    fix: `echo '${entry}' >> ${ignoreFile}`,
  }));
}
