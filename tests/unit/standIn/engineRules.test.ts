/**
 * The stand-in's engine rules (harness/engine/engineRules.ts), each following pulumi/pulumi
 * pkg/resource/deploy/step_generator.go: the replacement order, the dependent-replacement cascade
 * of a delete-first replacement, and deletes in reverse dependency order.
 */
import { Registration, resourceKey } from "../../../harness/registrations";
import { deleteGroups, Deployed, dependentReplacements, stepFor } from "../../../harness/engine/engineRules";
import { withDefaults } from "../../../harness/engine/providerSchema";

const CONTAINER = "docker:index/container:Container";
const NETWORK = "docker:index/network:Network";

function reg(type: string, name: string, o: Partial<Registration> = {}): Registration {
  return { type, name, custom: true, deleteBeforeReplace: undefined, dependencies: [], propertyDependencies: {}, parent: undefined, ignoreChanges: [], ...o };
}
function deployed(type: string, name: string, inputs: Record<string, unknown>, o: Partial<Registration> = {}): Deployed {
  const state = withDefaults(type, inputs); // what the provider stored after creating it
  return { type, name, key: resourceKey(type, name), id: name, inputs, rawInputs: inputs, state, outputs: inputs, registration: reg(type, name, o) };
}
const netKey = resourceKey(NETWORK, "net");
const net = deployed(NETWORK, "net", { name: "net" });
const app = (name: string, deps: Record<string, string[]>, dependencies: string[] = []) =>
  deployed(CONTAINER, name, { name, image: "img", networksAdvanced: [{ name: "net" }], memory: 64 }, { propertyDependencies: deps, dependencies });

describe("stepFor: GenerateSteps / generateStepsFromDiff", () => {
  test("no old state: create; unchanged: same; an updatable field: update", () => {
    expect(stepFor(undefined, reg(CONTAINER, "a"), {})).toEqual({ op: "create" });
    const a = app("a", {});
    expect(stepFor(a, a.registration, a.inputs as any)).toEqual({ op: "same" });
    expect(stepFor(a, a.registration, { ...a.inputs, memory: 128 })).toEqual({ op: "update", fields: ["memory"] });
  });
  test("a replacement takes the order the program set (goal.DeleteBeforeReplace)", () => {
    const a = app("a", {});
    const changed = { ...a.inputs, image: "img2" };
    expect(stepFor(a, reg(CONTAINER, "a", { deleteBeforeReplace: false }), changed)).toEqual({ op: "replace", fields: ["image"], deleteFirst: false });
    expect(stepFor(a, reg(CONTAINER, "a", { deleteBeforeReplace: true }), changed)).toEqual({ op: "replace", fields: ["image"], deleteFirst: true });
  });
  test("a replacement whose order is left to the provider's default fails instead of being guessed", () => {
    const a = app("a", {});
    expect(() => stepFor(a, reg(CONTAINER, "a"), { ...a.inputs, image: "img2" })).toThrow(/left to the provider's default/);
  });
});

describe("dependentReplacements: calculateDependentReplacements", () => {
  test("a dependent whose ForceNew input comes from the replaced resource is deleted first, transitively", () => {
    const a = app("a", { networksAdvanced: [netKey] });
    const b = app("b", { image: [resourceKey(CONTAINER, "a")] });
    expect(dependentReplacements(net, [net, a, b], new Set()).map((d) => d.name)).toEqual(["b", "a"]);
  });
  test("a dependent already registered in this run is left out (impossibleDependents)", () => {
    const a = app("a", { networksAdvanced: [netKey] });
    const b = app("b", { image: [resourceKey(CONTAINER, "a")] });
    expect(dependentReplacements(net, [net, a, b], new Set([a.key])).map((d) => d.name)).toEqual([]);
  });
  test("a dependent through dependsOn alone, or through an input updated in place, is kept", () => {
    const viaDependsOn = app("c", {}, [netKey]);
    const viaMemory = app("d", { memory: [netKey] });
    expect(dependentReplacements(net, [net, viaDependsOn, viaMemory], new Set())).toEqual([]);
  });
});

describe("deleteGroups: ScheduleDeletes", () => {
  test("dependents go in an earlier group than what they depend on; independent ones share a group", () => {
    const a = app("a", { networksAdvanced: [netKey] });
    const b = app("b", { networksAdvanced: [netKey] });
    const groups = deleteGroups([net, a, b]).map((g) => g.map((d) => d.name).sort());
    expect(groups).toEqual([["a", "b"], ["net"]]);
  });
  test("antichains are taken from the dependencies' side and then reversed", () => {
    // c depends on nothing: the engine deletes it with net (the last group), not with a.
    const a = app("a", { networksAdvanced: [netKey] });
    const c = app("c", {});
    expect(deleteGroups([a, net, c]).map((g) => g.map((d) => d.name).sort())).toEqual([["a"], ["c", "net"]]);
  });
});
