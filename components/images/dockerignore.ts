/**
 * `.dockerignore` as the Docker CLI applies it to a build context (moby/patternmatcher and
 * moby/buildkit's ignorefile): a pure matcher, so the program knows at plan time which files an
 * image is built from.
 *
 * - `#` starts a comment line; lines are trimmed; a leading `!` re-includes what matched before.
 * - Patterns are cleaned like Go's filepath.Clean, and a leading `/` is dropped.
 * - `*` is any run of characters but `/`, `?` one such character, `**` any number of whole
 *   directories (also none), `[...]` a regexp class (`[^...]` negates), `\` escapes the next character.
 * - A pattern matches a path or any of its parent directories; the last matching pattern wins.
 */
import * as fs from "fs";
import * as path from "path";

interface Pattern {
  readonly exclusion: boolean;
  readonly regexp: RegExp;
}

/**
 * The ignore patterns of a build: `<dockerfile>.dockerignore` when it exists (BuildKit's
 * precedence), otherwise `<context>/.dockerignore`, otherwise none.
 */
export function readDockerignore(context: string, dockerfile?: string): string[] {
  const candidates = [...(dockerfile ? [`${dockerfile}.dockerignore`] : []), path.join(context, ".dockerignore")];
  const file = candidates.find((f) => fs.existsSync(f));
  return file ? parseDockerignore(fs.readFileSync(file, "utf8")) : [];
}

export function parseDockerignore(text: string): string[] {
  const patterns: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith("#")) continue;
    let p = line.trim();
    if (p === "") continue;
    const invert = p.startsWith("!");
    if (invert) p = p.slice(1).trim();
    if (p.length > 0) {
      p = path.posix.normalize(p).replace(/\/+$/, "") || ".";
      if (p.length > 1 && p.startsWith("/")) p = p.slice(1);
    }
    patterns.push(invert ? `!${p}` : p);
  }
  return patterns;
}

function toRegExp(pattern: string): RegExp {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") i++;
        re += i + 1 >= pattern.length ? ".*" : "(.*/)?";
      } else {
        re += "[^/]*";
      }
    } else if (ch === "?") {
      re += "[^/]";
    } else if (ch === "\\") {
      i++;
      if (i < pattern.length) re += `\\${pattern[i]}`;
    } else if (ch === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) throw new Error(`.dockerignore: unterminated character class in "${pattern}"`);
      re += pattern.slice(i, end + 1); // passed to the regexp as is, like moby does: [^...] negates
      i = end;
    } else {
      re += ".+()|{}$^".includes(ch) ? `\\${ch}` : ch;
    }
  }
  return new RegExp(`${re}$`);
}

/** A predicate telling whether a context-relative path (with `/`) is left out of the context. */
export function dockerignoreMatcher(patterns: readonly string[]): { excludes(file: string): boolean; hasExceptions: boolean } {
  const compiled: Pattern[] = patterns.map((p) =>
    p.startsWith("!") ? { exclusion: true, regexp: toRegExp(p.slice(1)) } : { exclusion: false, regexp: toRegExp(p) },
  );
  const excludes = (file: string) => {
    const dirs = file.split("/");
    let matched = false;
    for (const pattern of compiled) {
      if (pattern.exclusion !== matched) continue;
      let match = pattern.regexp.test(file);
      for (let i = 1; !match && i < dirs.length; i++) match = pattern.regexp.test(dirs.slice(0, i).join("/"));
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  };
  return { excludes, hasExceptions: compiled.some((p) => p.exclusion) };
}
