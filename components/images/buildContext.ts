import * as path from "path";

/** Project-relative path of a file shipped under `templates/`. */
export function templatePath(...parts: string[]): string {
  return path.relative(process.cwd(), path.join(__dirname, "..", "..", "templates", ...parts)) || ".";
}
