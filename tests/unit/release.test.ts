import { RecordedResource } from "./support/recordingMocks";
import { ProgramRun, runStack } from "./support/runProgram";
import { byRole, role, T } from "./support/resources";

/** Resources whose inputs differ between two runs, by "type name". */
function changed(a: ProgramRun, b: ProgramRun): string[] {
  const key = (r: RecordedResource) => `${r.type} ${r.name}`;
  const before = new Map(a.mocks.resources.map((r) => [key(r), JSON.stringify(r.inputs)]));
  return b.mocks.resources.filter((r) => before.get(key(r)) !== JSON.stringify(r.inputs)).map(key).sort();
}

describe("a version bump", () => {
  let v1: ProgramRun;
  let v2: ProgramRun;
  beforeAll(async () => {
    v1 = await runStack("prod");
    v2 = await runStack("prod", { "php-backend:version": "v1.1.0" });
  }, 60_000);

  test("declares the same resources", () => {
    const names = (run: ProgramRun) => run.mocks.resources.map((r) => `${r.type} ${r.name}`).sort();
    expect(names(v2)).toEqual(names(v1));
  });

  test("changes the release images and the release containers only", () => {
    const release = new Set(["php-fpm", "worker", "scheduler", "migrate", "app-nginx"]);
    const expected = [
      ...v1.ofType(T.image),
      ...v1.ofType(T.container).filter((c) => release.has(role(c) ?? "")),
    ].map((r) => `${r.type} ${r.name}`).sort();
    expect(changed(v1, v2)).toEqual(expected);
  });

  test("leaves Redis, the network, the edge and the registry untouched", () => {
    const diff = changed(v1, v2).join("\n");
    expect(diff).not.toMatch(/redis|network|edge|registry|alicloud/);
  });

  test("tags both images with the new version and moves php-fpm to a new alias", () => {
    for (const image of v2.ofType(T.image)) expect(image.inputs.imageName).toMatch(/:v1\.1\.0-[0-9a-f]{12}$/);
    for (const fpm of byRole(v2.ofType(T.container), "php-fpm")) {
      expect(fpm.inputs.networksAdvanced[0].aliases[0]).toMatch(/^fpm-v1-1-0-[0-9a-f]{12}$/);
    }
    expect(v2.outputs.backendImage.value).not.toBe(v1.outputs.backendImage.value);
  });

  test("a rollback to the previous version declares exactly the previous inputs", async () => {
    const back = await runStack("prod", { "php-backend:version": "v1.0.0" });
    expect(changed(v1, back)).toEqual([]);
  });
});

describe("a backend-only release", () => {
  let v1: ProgramRun;
  let v2: ProgramRun;
  beforeAll(async () => {
    v1 = await runStack("prod");
    v2 = await runStack("prod", { "php-backend:backendVersion": "v1.0.1" });
  }, 60_000);

  test("leaves the nginx image and its tag alone", () => {
    const nginxImage = (run: ProgramRun) => run.ofType(T.image).find((i) => i.name.endsWith("nginx-image"))!;
    expect(nginxImage(v2).inputs).toEqual(nginxImage(v1).inputs);
    expect(changed(v1, v2)).not.toContain(`${T.image} ${nginxImage(v1).name}`);
  });

  test("points the new nginx containers at the new php-fpm alias", () => {
    const fpmAlias = byRole(v2.ofType(T.container), "php-fpm")[0].inputs.networksAdvanced[0].aliases[0];
    expect(fpmAlias).toMatch(/^fpm-v1-0-1-/);
    for (const nginx of byRole(v2.ofType(T.container), "app-nginx")) {
      expect(nginx.inputs.uploads[0].content).toContain(`set $fpm_upstream ${fpmAlias}:9000;`);
    }
  });
});
