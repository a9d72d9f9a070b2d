/**
 * scripts/pulumi-cli.sh: which Pulumi CLI the local-stack scripts use, with stand-in `pulumi`,
 * `curl` and installer executables on a temporary PATH (no network).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../../harness/program";

const PINNED = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).pulumiCli.version as string;
let tmp: string;
let fakeBin: string;
let cliRoot: string;
let installLog: string;

/** A PATH holding only the tools the script needs, plus the stand-ins in fakeBin. */
function hermeticPath(): string {
  const tools = path.join(tmp, "tools");
  fs.mkdirSync(tools);
  for (const t of ["node", "sort", "head", "mktemp", "rm", "mv", "mkdir", "sh", "cat", "bash", "chmod", "dirname"]) {
    const found = spawnSync("sh", ["-c", `command -v ${t}`], { encoding: "utf8" }).stdout.trim();
    fs.symlinkSync(t === "node" ? process.execPath : found, path.join(tools, t));
  }
  return `${fakeBin}:${tools}`;
}

function script(file: string, body: string) {
  fs.writeFileSync(path.join(fakeBin, file), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/** A `pulumi` on PATH that reports `version`. */
const pulumiOnPath = (version: string) => script("pulumi", `echo v${version}`);

/** `curl` that serves an installer which logs its arguments and installs a stand-in CLI, or fails (`mode`). */
function installer(mode: "ok" | "no-network" | "breaks-half-way") {
  if (mode === "no-network") return script("curl", "echo 'curl: (6) Could not resolve host: get.pulumi.com' >&2; exit 6");
  const body = [
    `echo "$@" >> ${installLog}`,
    'while [ $# -gt 0 ]; do case "$1" in --version) v=$2; shift;; --install-root) r=$2; shift;; esac; shift; done',
    'mkdir -p "$r/bin"',
    mode === "ok" ? `printf '#!/bin/sh\\necho v%s\\n' "$v" > "$r/bin/pulumi"; chmod +x "$r/bin/pulumi"` : "exit 1",
  ].join("\n");
  fs.writeFileSync(path.join(tmp, "install.sh"), body);
  script("curl", `while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done; cat ${path.join(tmp, "install.sh")} > "$out"`);
}

function resolve() {
  const r = spawnSync("bash", ["-c", '. scripts/pulumi-cli.sh && resolve_pulumi && echo "BIN=$PULUMI_BIN"'], {
    cwd: ROOT, encoding: "utf8", env: { PATH: hermeticPath(), PULUMI_CLI_ROOT: cliRoot, HOME: tmp },
  });
  fs.rmSync(path.join(tmp, "tools"), { recursive: true, force: true });
  return { status: r.status, bin: /BIN=(.*)/.exec(r.stdout)?.[1], stderr: r.stderr };
}
const installs = () => (fs.existsSync(installLog) ? fs.readFileSync(installLog, "utf8").trim().split("\n") : []);

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-"));
  fakeBin = path.join(tmp, "bin");
  fs.mkdirSync(fakeBin);
  cliRoot = path.join(tmp, "project", ".pulumi", "cli");
  installLog = path.join(tmp, "installs.log");
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("a pulumi on PATH at the pinned version or newer is used; nothing is installed", () => {
  pulumiOnPath("9.0.0");
  installer("ok");
  expect(resolve()).toMatchObject({ status: 0, bin: path.join(fakeBin, "pulumi") });
  expect(installs()).toEqual([]);
});

test.each([["missing", undefined], ["too old", "3.99.0"]])("pulumi %s: the pinned version is installed into the project and used", (_, version) => {
  if (version) pulumiOnPath(version);
  installer("ok");
  const r = resolve();
  expect(r).toMatchObject({ status: 0, bin: path.join(cliRoot, "bin", "pulumi") });
  expect(installs()).toHaveLength(1);
  expect(installs()[0]).toMatch(new RegExp(`--version ${PINNED.replace(/\./g, "\\.")} --install-root \\S+ --no-edit-path --silent`));
  expect(spawnSync(r.bin!, ["version"], { encoding: "utf8" }).stdout.trim()).toBe(`v${PINNED}`);
  // The next run uses the installed copy.
  expect(resolve().bin).toBe(path.join(cliRoot, "bin", "pulumi"));
  expect(installs()).toHaveLength(1);
});

test.each([["no network", "no-network"], ["an installer that fails half way", "breaks-half-way"]] as const)(
  "%s: a clear error, a non-zero exit and nothing half-installed",
  (_, mode) => {
    installer(mode);
    const r = resolve();
    expect(r.status).not.toBe(0);
    expect(r.bin).toBeUndefined();
    expect(r.stderr).toContain(`Could not install the Pulumi CLI ${PINNED}`);
    expect(r.stderr).toContain("HTTPS_PROXY");
    expect(fs.existsSync(cliRoot)).toBe(false);
    expect(fs.readdirSync(path.dirname(cliRoot))).toEqual([]);
  },
);
