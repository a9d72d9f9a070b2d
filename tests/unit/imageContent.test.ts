import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { dockerignoreMatcher, parseDockerignore } from "../../components/images/dockerignore";
import { buildDigest, contextEntries, releaseTag } from "../../components/images/imageContent";
import { fpmAlias } from "../../release/names";

describe(".dockerignore matching (moby/patternmatcher semantics)", () => {
  test.each([
    // [patterns, path, excluded]
    [[".env"], ".env", true],
    [[".env"], "config/.env", false],
    [["**/.env"], "config/.env", true],
    [[".env*"], ".env.example", true],
    [[".env*", "!.env.example"], ".env.example", false],
    [[".env*", "!.env.example"], ".env.local", true],
    [[".git"], ".git/HEAD", true],
    [["/vendor/"], "vendor/autoload.php", true],
    [["*.md"], "README.md", true],
    [["*.md"], "docs/README.md", false],
    [["docs/**/*.md"], "docs/a/b/c.md", true],
    [["docs/**/*.md"], "docs/c.md", true],
    [["storage/logs/*"], "storage/logs/laravel.log", true],
    [["storage/logs/*", "!storage/logs/.gitignore"], "storage/logs/.gitignore", false],
    [["fil?.txt"], "file.txt", true],
    [["fil?.txt"], "fil/.txt", false],
    [["[a-c].txt"], "b.txt", true],
    [["[^a-c].txt"], "b.txt", false],
    [["a\\*b"], "a*b", true],
    [["a\\*b"], "axb", false],
    [["# comment", ""], "# comment", false],
    [["node_modules", "!node_modules/keep"], "node_modules/keep/x.js", false],
  ] as [string[], string, boolean][])("%j on %s -> excluded %s", (patterns, file, excluded) => {
    expect(dockerignoreMatcher(parseDockerignore(patterns.join("\n"))).excludes(file)).toBe(excluded);
  });

  test("lines are trimmed, cleaned and made relative", () => {
    expect(parseDockerignore("  /a/b/  \n# c\n! ./d/../e \n\n./f")).toEqual(["a/b", "!e", "f"]);
  });
});

describe("the build digest and release tag", () => {
  let dir: string;
  const dockerfile = () => path.join(dir, "..", "Dockerfile");
  const spec = () => ({ context: dir, dockerfile: dockerfile(), args: { BASE: "debian" } });
  beforeEach(() => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "image-content-"));
    dir = path.join(root, "ctx");
    fs.mkdirSync(path.join(dir, "public"), { recursive: true });
    fs.writeFileSync(path.join(root, "Dockerfile"), "FROM debian\nCOPY . /app\n");
    fs.writeFileSync(path.join(dir, "index.php"), "<?php echo 1;");
    fs.writeFileSync(path.join(dir, "public", "app.css"), "body{}");
    fs.writeFileSync(path.join(dir, ".env"), "APP_KEY=secret");
    fs.writeFileSync(path.join(dir, ".dockerignore"), ".env\n");
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  test("lists what the build receives, without ignored files", () => {
    expect(contextEntries(dir).map((e) => e.path)).toEqual([".dockerignore", "index.php", "public", "public/app.css"]);
  });

  test("is stable, and changes with a file's content, a file's mode, the Dockerfile and the build arguments", () => {
    const base = buildDigest(spec());
    expect(buildDigest(spec())).toBe(base);
    const changes: (() => void)[] = [
      () => fs.writeFileSync(path.join(dir, "index.php"), "<?php echo 2;"),
      () => fs.chmodSync(path.join(dir, "index.php"), 0o755),
      () => fs.writeFileSync(path.join(dir, "new.php"), ""),
      () => fs.appendFileSync(dockerfile(), "RUN true\n"),
    ];
    const seen = new Set([base]);
    for (const change of changes) {
      change();
      const next = buildDigest(spec());
      expect(seen.has(next)).toBe(false);
      seen.add(next);
    }
    expect(buildDigest({ ...spec(), args: { BASE: "ubuntu" } })).not.toBe(buildDigest(spec()));
  });

  test("ignores what the build never receives", () => {
    const base = buildDigest(spec());
    fs.writeFileSync(path.join(dir, ".env"), "APP_KEY=other");
    expect(buildDigest(spec())).toBe(base);
  });

  test("the tag is the version and 12 hex of the digest", () => {
    expect(releaseTag("v1.4.2", spec())).toBe(`v1.4.2-${buildDigest(spec()).slice(0, 12)}`);
  });

  test("the php-fpm alias is one DNS label, whatever the version", () => {
    expect(fpmAlias("v1.4.2-0123456789ab")).toBe("fpm-v1-4-2-0123456789ab");
    const long = fpmAlias(`${"v1.0.0-rc.".padEnd(115, "x")}-0123456789ab`);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^fpm-v1-0-0-rc-x+-0123456789ab$/);
  });
});
