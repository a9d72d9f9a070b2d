/** Checks of the application directory, made with the settings so they are reported with them. */
import * as fs from "fs";
import * as path from "path";
import { dockerignoreMatcher, readDockerignore } from "../components/images/dockerignore";

export interface DirectoryProblem {
  readonly message: string;
  readonly fix: string;
}

/**
 * What keeps `appDir` from being built into the release images: it must be a Laravel
 * application's root (`artisan`, `public/`). What enters the build context is the product's
 * rule (templates/backend/Dockerfile.dockerignore), so the app needs no .dockerignore.
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
  return problems;
}

/** What an image must never be built from, whoever owns the Dockerfile. */
const NEVER_IN_CONTEXT = [".env", ".git"];

/**
 * A team's own backend Dockerfile: it must exist, and the ignore rules Docker applies with it
 * (`<Dockerfile>.dockerignore`, else the app's `.dockerignore`) must keep `.env` and `.git` out,
 * since this program's own rules (templates/backend/Dockerfile.dockerignore) then do not apply.
 */
export function checkOwnDockerfile(dockerfile: string, appDir: string, setDockerfile: string): DirectoryProblem[] {
  if (!fs.existsSync(dockerfile) || !fs.statSync(dockerfile).isFile()) {
    return [{ message: `"${dockerfile}" is not a file (resolved to ${path.resolve(dockerfile)})`, fix: setDockerfile }];
  }
  const ignore = dockerignoreMatcher(readDockerignore(appDir, dockerfile));
  const ownRules = fs.existsSync(`${dockerfile}.dockerignore`) ? `${dockerfile}.dockerignore` : path.join(appDir, ".dockerignore");
  return NEVER_IN_CONTEXT.filter((entry) => !ignore.excludes(entry)).map((entry) => ({
    message: `the build context of "${dockerfile}" would include ${entry}: ${ownRules} must exclude it`,
    fix: `echo '${entry}' >> ${ownRules}`,
  }));
}
