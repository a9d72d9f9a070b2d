/**
 * No replacement may be left to the provider's default: pulumi-docker declares docker_container
 * delete-before-replace, and the engine follows the provider unless the program sets the option.
 * These tests read the registration requests the SDK sends, not the program's source.
 */
import { Registration } from "../../harness/registrations";
import { ProgramRun, runStack } from "./support/runProgram";
import { role, T } from "./support/resources";

const ORDERED_TYPES: string[] = [T.container, T.network, T.volume, T.image, T.remoteImage];
const CREATE_FIRST_ROLES = ["php-fpm", "app-nginx", "worker", "migrate"];
const DELETE_FIRST_ROLES = ["scheduler", "edge", "redis", "redis-sentinel", "registry", "database"];

describe.each(["local", "dev", "prod"])("stack %s", (stack) => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  }, 60_000);

  const registration = (type: string, name: string): Registration => {
    const reg = run.registrations.get(type, name);
    if (!reg) throw new Error(`no registration recorded for ${type} ${name}`);
    return reg;
  };
  const containersWithRole = (wanted: string[]) =>
    run.ofType(T.container).filter((c) => wanted.includes(role(c) ?? "")).map((c) => registration(c.type, c.name));

  test("every container, network, volume and image states its replacement order", () => {
    const resources = run.mocks.resources.filter((r) => ORDERED_TYPES.includes(r.type));
    expect(resources.length).toBeGreaterThan(10);
    const undeclared = resources.filter((r) => registration(r.type, r.name).deleteBeforeReplace === undefined);
    expect(undeclared.map((r) => `${r.type} ${r.name}`)).toEqual([]);
  });

  test("release containers are replaced create-first", () => {
    const release = containersWithRole(CREATE_FIRST_ROLES);
    expect(release.length).toBeGreaterThanOrEqual(4);
    expect(release.filter((r) => r.deleteBeforeReplace !== false).map((r) => r.name)).toEqual([]);
  });

  test("the scheduler and everything with a fixed name or host port is replaced delete-first", () => {
    const fixed = [
      ...containersWithRole(DELETE_FIRST_ROLES),
      ...run.ofType(T.network).map((r) => registration(r.type, r.name)),
      ...run.ofType(T.volume).map((r) => registration(r.type, r.name)),
    ];
    expect(fixed.filter((r) => r.deleteBeforeReplace !== true).map((r) => r.name)).toEqual([]);
  });

  test("no release container depends, through an input, on a delete-first resource", () => {
    // A delete-first replacement first deletes every dependent whose inputs it would change.
    const deleteFirst = new Set(
      run.registrations.all().filter((r) => r.deleteBeforeReplace === true).map((r) => `${r.type}::${r.name}`),
    );
    // The stack network and the uploads volume are the delete-first resources they must use: their
    // only input is a name derived from the stack's, so they are never replaced by a release.
    const stackWide = [...run.ofType(T.network), ...run.ofType(T.volume).filter((v) => v.name.endsWith("-uploads"))];
    expect(stackWide.map((r) => Object.keys(r.inputs).sort())).toEqual(stackWide.map((r) => (r.type === T.network ? ["driver", "name"] : ["name"])));
    const allowed = stackWide.map((r) => `${r.type}::${r.name}`);
    for (const reg of containersWithRole(CREATE_FIRST_ROLES)) {
      const inputDeps = Object.values(reg.propertyDependencies).flat();
      expect(inputDeps.filter((d) => deleteFirst.has(d) && !allowed.includes(d))).toEqual([]);
    }
  });
});
