/**
 * scripts/ensure-test-tools.sh, which the unit project's globalSetup runs: a tool that is there
 * is left alone; one that is missing where nothing can install it stops the run with the command
 * that does (never a skipped test).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SCRIPT = path.join(__dirname, "..", "..", "scripts", "ensure-test-tools.sh");

function run(pairs: string[], pathDirs: string) {
  return spawnSync("/bin/bash", [SCRIPT, ...pairs], { encoding: "utf8", env: { PATH: pathDirs } });
}

test("a tool on PATH needs nothing installed", () => {
  const r = run(["sh:package-that-does-not-exist"], "/usr/bin:/bin");
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});

test("a missing tool without apt-get stops the run naming the package and the command", () => {
  // A PATH with the shell's helpers only: no apt-get, no such tool.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "tools-"));
  try {
    for (const t of ["id", "bash"]) fs.symlinkSync(spawnSync("sh", ["-c", `command -v ${t}`], { encoding: "utf8" }).stdout.trim(), path.join(bin, t));
    const r = run(["no-such-checker:no-such-checker-pkg"], bin);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("missing: no-such-checker-pkg");
    expect(r.stderr).toContain("apt-get install --no-install-recommends no-such-checker-pkg");
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
});
