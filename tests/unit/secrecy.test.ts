import { isSecretWrapper, plainStrings, RecordedResource } from "./support/recordingMocks";
import { ProgramRun, runStack, TEST_SECRETS } from "./support/runProgram";
import { envOf, T } from "./support/resources";

/** Every secret value of a run: the stack's own plus the ones the program generated. */
function secretValues(run: ProgramRun, stack: string): string[] {
  const fpm = run.ofType(T.container).find((c) => c.name.endsWith("fpm-0"))!;
  const env = envOf(fpm);
  return [...new Set([...Object.values(TEST_SECRETS[stack]), env.APP_KEY, env.REDIS_PASSWORD, env.DB_PASSWORD])];
}

/** Does any plain (non-secret) input string contain a secret value? */
function leaks(resources: RecordedResource[], secrets: string[]) {
  return resources.flatMap((r) =>
    plainStrings(r.raw)
      .filter(({ text }) => secrets.some((s) => text.includes(s)))
      .map(({ path }) => `${r.type} ${r.name}: ${path}`),
  );
}

describe.each(["local", "dev", "prod"])("secrecy of stack %s", (stack) => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack(stack);
  }, 60_000);

  test("secret values are set and long enough to be found if they leaked", () => {
    const secrets = secretValues(run, stack);
    expect(secrets.length).toBeGreaterThanOrEqual(stack === "local" ? 3 : 4);
    for (const s of secrets) expect(s.length).toBeGreaterThanOrEqual(12);
  });

  test("no secret value appears in a non-secret input of any resource", () => {
    expect(leaks(run.mocks.resources, secretValues(run, stack))).toEqual([]);
  });

  test("inputs that carry a secret are sent as secrets", () => {
    const containers = run.ofType(T.container);
    for (const c of containers.filter((c) => c.inputs.envs?.some((e: string) => /PASSWORD|APP_KEY|REDISCLI_AUTH/.test(e)))) {
      expect(isSecretWrapper(c.raw.envs)).toBe(true);
    }
    for (const c of containers.filter((c) => /redis/.test(c.name))) {
      expect(isSecretWrapper((c.raw.uploads as unknown[])[0]) || isSecretWrapper(c.raw.uploads)).toBe(true);
    }
    if (stack !== "local") {
      for (const image of run.ofType(T.image)) {
        const registry = image.raw.registry as Record<string, unknown>;
        expect(isSecretWrapper(registry) || isSecretWrapper(registry.password)).toBe(true);
      }
    }
  });

  test("no secret is passed to an image build", () => {
    const secrets = secretValues(run, stack);
    for (const image of run.ofType(T.image)) {
      const build = JSON.stringify(image.inputs.build);
      for (const s of secrets) expect(build).not.toContain(s);
    }
  });

  test("stack outputs hold no secret value", () => {
    const text = JSON.stringify(run.outputs);
    for (const s of secretValues(run, stack)) expect(text).not.toContain(s);
  });
});
