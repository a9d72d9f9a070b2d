/**
 * The jobs of each workflow: triggers, the Pulumi commands and stacks, environments and
 * permissions of preview.yml, deploy.yml and drift.yml, and the rules that decide which stacks a
 * pull request touches (scripts/touched-stacks.js).
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { ROOT, Dict, FILES, wf, allJobs, pulumiSteps, pulumiStep, runs, needs, envName, expectInOrder } from "./support/workflows";

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
