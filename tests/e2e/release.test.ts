/**
 * Releases as updates of a running stack: each `up` and `preview` is decided by the Pulumi
 * engine's and the docker provider's rules (harness/engine) and applied to the real engine.
 * Needs the stand-in base images: `npm run test:e2e` builds them first.
 */
import * as fs from "fs";
import * as path from "path";
import { randomBytes } from "crypto";
import { PlannedStep } from "../../harness/engine/dockerEngineMocks";
import { leftovers } from "../../harness/engine/dockerEngineMocks";
import { sleep } from "../../harness/stack/fixtures";
import { ContainerInfo, ROLE_LABEL, stackContainers, withRole } from "../../harness/stack/stackInspection";
import { APP_DIR, changes, describePlan, StackUnderTest } from "../../harness/stack/stackUnderTest";

jest.setTimeout(20 * 60_000);

const IMAGE = "docker:index/image:Image";
const CONTAINER = "docker:index/container:Container";
const RELEASE_ROLES = ["php-fpm", "app-nginx", "worker", "scheduler", "migrate"];

const stack = new StackUnderTest("e2e-release", `db-${randomBytes(12).toString("hex")}`, 2000);
const { mocks } = stack;
let edge: string;
let previewed: PlannedStep[] = [];

const get = (p: string) => fetch(`${edge}${p.replace(/^\//, "")}`, { signal: AbortSignal.timeout(5000) });
const json = (r: Response): Promise<any> => r.json();
const containers = () => stackContainers(stack.prefix);
const deployedInputs = (s: { type: string; name: string }) => mocks.stack.prior(s.type, s.name)?.inputs;
const roleOf = (s: PlannedStep) => (deployedInputs(s)?.labels ?? []).find((l: { label: string }) => l.label === ROLE_LABEL)?.value;
const imageStep = (plan: PlannedStep[], repo: string) =>
  plan.filter((s) => s.type === IMAGE).find((s) => String(deployedInputs(s)?.imageName).includes(repo))!;
const sortedNames = (plan: PlannedStep[]) => plan.map((s) => `${s.type} ${s.name}`).sort();

/** No registry tag was ever pushed with two different images. */
function expectNoTagOverwritten() {
  const digests = new Map<string, Set<string>>();
  for (const p of mocks.pushes) digests.set(p.imageName, (digests.get(p.imageName) ?? new Set()).add(p.repoDigest));
  expect([...digests].filter(([, d]) => d.size > 1)).toEqual([]);
  expect(mocks.pushes.length).toBe(digests.size);
}

beforeAll(async () => {
  expect(await containers()).toEqual([]);
  await stack.prepare();
  stack.set({ version: "v1.0.0" });
  const run = await stack.up();
  edge = run.outputs.url.value as string;
  console.log(`deployed in ${(run.ms / 1000).toFixed(1)} s`);
});

afterAll(async () => {
  await stack.teardown();
  expect(await leftovers(mocks.runId)).toEqual([]);
  expect(await containers()).toEqual([]);
});

test("a second `pulumi up` with nothing changed creates, updates, replaces, deletes and pushes nothing", async () => {
  const [pushes, created] = [mocks.pushes.length, mocks.created.length];
  const before = (await containers()).map((c) => c.id).sort();
  const run = await stack.up();
  console.log(`no-change update: ${run.plan.length} resources, ${changes(run.plan).length} changes, ${(run.ms / 1000).toFixed(1)} s`);
  expect(describePlan(changes(run.plan))).toEqual([]);
  expect(mocks.pushes.length).toBe(pushes);
  expect(mocks.created.length).toBe(created);
  expect((await containers()).map((c) => c.id).sort()).toEqual(before);
});

test("a preview of a version bump lists the two images and the release containers, and builds and pushes nothing", async () => {
  const [pushes, created] = [mocks.pushes.length, mocks.created.length];
  const before = (await containers()).map((c) => c.id).sort();
  stack.set({ version: "v1.1.0" });
  const run = await stack.preview();
  previewed = changes(run.plan);
  console.log(`preview of v1.0.0 → v1.1.0: ${(run.ms / 1000).toFixed(2)} s\n  ${describePlan(previewed).join("\n  ")}`);
  expect(run.ms).toBeLessThan(5000);

  expect(previewed.filter((s) => s.type === IMAGE).map((s) => s.op)).toEqual(["update", "update"]);
  const replaced = previewed.filter((s) => s.type === CONTAINER);
  expect(previewed.length).toBe(replaced.length + 2);
  expect(new Set(replaced.map(roleOf))).toEqual(new Set(RELEASE_ROLES));
  const deployedRelease = mocks.stack.deployedResources().filter((d) => d.type === CONTAINER && RELEASE_ROLES.includes(roleOf(d as any)));
  expect(replaced.map((s) => s.name).sort()).toEqual(deployedRelease.map((d) => d.name).sort());
  for (const s of replaced) expect([s.op, s.deleteFirst]).toEqual(["replace", roleOf(s) === "scheduler"]);

  expect(mocks.pushes.length).toBe(pushes);
  expect(mocks.created.length).toBe(created);
  expect((await containers()).map((c) => c.id).sort()).toEqual(before);
});

test("a version bump under load drops no request and leaves Redis, the network and the edge alone", async () => {
  const before = await containers();
  const stable = (all: ContainerInfo[]) =>
    all.filter((c) => ["edge", "redis", "redis-sentinel", "registry"].includes(c.role)).map((c) => c.id).sort();
  const hitsBefore = (await json(await get("/"))).hits;

  let loading = true;
  const results: { status: number; release?: string; error?: string }[] = [];
  const load = (async () => {
    while (loading) {
      await get("/")
        .then(async (r) => results.push({ status: r.status, release: (await json(r)).release }))
        .catch((e: Error) => results.push({ status: 0, error: e.message }));
    }
  })();
  stack.set({ version: "v1.1.0" });
  const run = await stack.up();
  await sleep(2000);
  loading = false;
  await load;

  const failed = results.filter((r) => r.status !== 200);
  const served = (v: string) => results.filter((r) => r.release === v).length;
  console.log(`release v1.0.0 → v1.1.0 took ${(run.ms / 1000).toFixed(1)} s under load: ${results.length} requests, ` +
    `${failed.length} failed, ${served("v1.0.0")} served by v1.0.0 and ${served("v1.1.0")} by v1.1.0\n  ${describePlan(changes(run.plan)).join("\n  ")}`);
  expect(failed).toEqual([]);
  expect(served("v1.0.0")).toBeGreaterThan(0);
  expect(results[results.length - 1].release).toBe("v1.1.0");
  // The update did what its preview said, and no delete-first replacement took a dependent with it.
  expect(sortedNames(changes(run.plan))).toEqual(sortedNames(previewed));
  expect(run.plan.filter((s) => s.dependentOf)).toEqual([]);

  const after = await containers();
  expect(stable(after)).toEqual(stable(before));
  expect(after.filter((c) => c.labels["php-backend.release"] === "v1.0.0")).toEqual([]);
  expect(withRole(after, "migrate").map((m) => [m.labels["php-backend.release"], m.exitCode])).toEqual([["v1.1.0", 0]]);
  expect((await json(await get("/"))).hits).toBeGreaterThan(hitsBefore);
  expectNoTagOverwritten();
});

test("a backend-only release rebuilds and pushes the backend image alone; the nginx image and tag stay", async () => {
  const nginxTag = mocks.stack.deployedResources().find((d) => d.type === IMAGE && /nginx/.test(d.inputs.imageName))!.inputs.imageName;
  const pushes = mocks.pushes.length;
  stack.set({ backendVersion: "v1.2.0" });
  const run = await stack.up();
  console.log(`backend-only release: ${(run.ms / 1000).toFixed(1)} s\n  ${describePlan(changes(run.plan)).join("\n  ")}`);
  expect(imageStep(run.plan, "nginx").op).toBe("same");
  expect(imageStep(run.plan, "laravel-backend").op).toBe("update");
  const newPushes = mocks.pushes.slice(pushes).map((p) => p.imageName);
  expect(newPushes).toHaveLength(1);
  expect(newPushes[0]).toMatch(/laravel-backend:v1\.2\.0-[0-9a-f]{12}$/);
  expect(mocks.stack.deployedResources().find((d) => d.type === IMAGE && /nginx/.test(d.inputs.imageName))!.inputs.imageName).toBe(nginxTag);
  expect((await json(await get("/"))).release).toBe("v1.2.0");
  expectNoTagOverwritten();
});

test("a changed PHP file without a version bump deploys under a new tag of the same version; no tag is overwritten", async () => {
  const marker = path.join(APP_DIR, "app", `E2eMarker${randomBytes(4).toString("hex")}.php`);
  const backendTag = () => mocks.stack.deployedResources().find((d) => d.type === IMAGE && /laravel-backend/.test(d.inputs.imageName))!.inputs.imageName;
  const tagBefore = backendTag();
  fs.writeFileSync(marker, "<?php\n// changed without a version bump\n");
  try {
    const run = await stack.up();
    console.log(`code change, same version: ${(run.ms / 1000).toFixed(1)} s\n  ${describePlan(changes(run.plan)).join("\n  ")}`);
    expect(imageStep(run.plan, "laravel-backend").op).toBe("update");
    expect(imageStep(run.plan, "nginx").op).toBe("same");
    expect(backendTag()).not.toBe(tagBefore);
    expect(backendTag()).toMatch(/laravel-backend:v1\.2\.0-[0-9a-f]{12}$/);
    expect((await get("/")).status).toBe(200);
    expectNoTagOverwritten();
  } finally {
    fs.rmSync(marker, { force: true });
  }
});

// Last: after a failed update the stand-in refuses further runs (it does not model pending deletes).
test("a release that cannot start fails the deploy in seconds, with its error, and the running release stays", async () => {
  const broken = path.join(APP_DIR, "config", `e2ebroken${randomBytes(4).toString("hex")}.php`);
  // Loads at build time; throws when the release's configuration is built at container start.
  fs.writeFileSync(broken, "<?php\nif (getenv('RELEASE_VERSION')) {\n    throw new RuntimeException('e2e: this release cannot start');\n}\nreturn [];\n");
  const before = (await containers()).filter((c) => c.role !== "migrate").map((c) => c.id).sort();
  const started = Date.now();
  try {
    stack.set({ version: "v1.3.0", backendVersion: "v1.3.0" });
    await expect(stack.up()).rejects.toThrow(/release v1\.3\.0 exited with 1[\s\S]*e2e: this release cannot start/);
  } finally {
    fs.rmSync(broken, { force: true });
  }
  const ms = Date.now() - started;
  console.log(`broken release refused after ${(ms / 1000).toFixed(1)} s`);
  // Well before the 120 s a release container may take to become healthy: nothing waited for one.
  expect(ms).toBeLessThan(120_000);
  expect((await containers()).filter((c) => c.role !== "migrate").map((c) => c.id).sort()).toEqual(before);
  expect((await json(await get("/"))).release).toBe("v1.2.0");
});
