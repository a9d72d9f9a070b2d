/**
 * The program's real resources for a stack, as the engine would hand them to the pack: the
 * program runs under the recording mocks (runStack); each resource's inputs go to resource
 * policies, the state the mocks return (what a provider would store: inputs and computed
 * outputs) to stack policies. Props go through the SDK's own deserializer (deserialize.js
 * deserializeProperties(struct, false), what server.js does with every request), so secret
 * wrappers are unwrapped by the SDK exactly as for the real engine, which sends secrets marked
 * (MarshalOptions KeepSecrets) and the SDK hands policies plaintext.
 */
import { contextFromConfig, PackContext, PROJECT } from "../../../../policy/context";
import { loadStackConfig } from "../../../../harness/program";
import { RecordingMocks } from "../../support/recordingMocks";
import { ProgramRun, runStack, TEST_SECRETS } from "../../support/runProgram";
import { ResourceSpec, urnOf } from "./analyzer";
import { packModule } from "./sdk";

const { deserializeProperties } = packModule<{ deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, any> }>(
  "@pulumi/policy/deserialize",
);
const { Struct } = packModule<{ Struct: { fromJavaScript(v: unknown): unknown } }>("google-protobuf/google/protobuf/struct_pb");

/** Wire form (JSON drops undefined, as the engine drops unset properties), then the SDK's reading of it. */
export const asAnalyzerProps = (value: Record<string, unknown>) =>
  deserializeProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(value))), false);

export interface PolicyView {
  readonly run: ProgramRun;
  readonly ctx: PackContext;
  readonly inputs: ResourceSpec[];
  readonly outputs: ResourceSpec[];
}

/** Runs `stack` (plus config overrides and secrets) and returns what the pack would be given. */
export async function policyView(stack: string, overrides: Record<string, string> = {}, secrets: Record<string, string> = {}): Promise<PolicyView> {
  const spy = jest.spyOn(RecordingMocks.prototype, "newResource");
  let run: ProgramRun;
  const states = new Map<string, Record<string, unknown>>();
  try {
    run = await runStack(stack, overrides, secrets);
    spy.mock.calls.forEach(([args], i) => {
      const result = spy.mock.results[i];
      if (result.type === "return") states.set(`${args.type}::${args.name}`, result.value.state);
    });
  } finally {
    spy.mockRestore();
  }
  const allSecrets = { ...TEST_SECRETS[stack], ...secrets };
  const config = { ...loadStackConfig(stack), ...overrides, ...Object.fromEntries(Object.entries(allSecrets).map(([k, v]) => [`${PROJECT}:${k}`, v])) };
  // Registrations key resources as `type::name` and know each one's parent: the URN's type chain.
  const split = (key: string) => [key.slice(0, key.indexOf("::")), key.slice(key.indexOf("::") + 2)] as const;
  const urn = (key: string): string => {
    const types: string[] = [];
    for (let k: string | undefined = key; k; k = run.registrations.get(...split(k))?.parent) types.unshift(split(k)[0]);
    return urnOf(stack, types[types.length - 1], split(key)[1], types.slice(0, -1));
  };
  const spec = (r: { type: string; name: string }, props: Record<string, unknown>): ResourceSpec => {
    const reg = run.registrations.get(r.type, r.name);
    return {
      type: r.type, name: r.name, props: asAnalyzerProps(props), urn: urn(`${r.type}::${r.name}`),
      parent: reg?.parent && urn(reg.parent), deleteBeforeReplace: reg?.deleteBeforeReplace,
      dependencies: (reg?.dependencies ?? []).map(urn),
    };
  };
  return {
    run,
    ctx: contextFromConfig(stack, config),
    inputs: run.mocks.resources.map((r) => spec(r, r.raw)),
    outputs: run.mocks.resources.map((r) => spec(r, states.get(`${r.type}::${r.name}`) ?? {})),
  };
}
