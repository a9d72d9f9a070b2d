import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { checkBuildContext } from "../../components/images/buildContext";
import { KEYS } from "../../stacks/schema";
import { ROOT } from "./support/runProgram";

describe("Pulumi.yaml", () => {
  const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

  test("is a TypeScript nodejs project named like the config namespace", () => {
    expect(project.name).toBe("php-backend");
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true } });
  });

  test("declares every defaulted key with the program's type and default", () => {
    for (const [key, spec] of Object.entries(KEYS) as [string, { type: string; default?: unknown }][]) {
      if (spec.default === undefined) continue;
      expect({ key, ...project.config[key] }).toMatchObject({ key, type: spec.type, default: spec.default });
    }
  });

  test("declares no key the program does not read", () => {
    for (const key of Object.keys(project.config)) expect(Object.keys(KEYS)).toContain(key);
  });

  test("stack files use only known keys of this project", () => {
    const known = new Set([...Object.keys(KEYS), "appEnv", "appSecretEnv"]);
    for (const stack of ["local", "dev", "prod"]) {
      const file = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
      for (const key of Object.keys(file.config)) {
        const [ns, name] = key.split(":");
        expect(`${stack}: ${ns}`).toBe(`${stack}: php-backend`);
        expect(known.has(name) ? name : `${stack}: unknown key ${name}`).toBe(name);
      }
    }
  });
});

describe("backend build context", () => {
  const dirWith = (files: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-"));
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    return dir;
  };

  test("the example app keeps .env and .git out of its context", () => {
    expect(checkBuildContext(path.join(ROOT, "examples", "laravel-app"))).toEqual([]);
  });

  test("a context without a .dockerignore is refused, naming both entries", () => {
    const problems = checkBuildContext(dirWith({ "index.php": "<?php" }));
    expect(problems).toHaveLength(2);
    expect(problems.join("\n")).toMatch(/must exclude "\.env"[\s\S]*must exclude "\.git"/);
  });

  test("a .dockerignore that forgets .env is refused", () => {
    expect(checkBuildContext(dirWith({ ".dockerignore": ".git\nnode_modules\n" }))).toEqual([
      expect.stringContaining('must exclude ".env"'),
    ]);
  });

  test("a missing app directory is refused with its config key", () => {
    expect(checkBuildContext("/nonexistent/app")).toEqual([expect.stringContaining("config key appDir")]);
  });
});

describe("README", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

  test("documents every configuration key", () => {
    for (const key of [...Object.keys(KEYS), "appEnv", "appSecretEnv"]) expect(readme).toContain(`| \`${key}\` |`);
  });

  test("gives the commands CI and package.json run", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    expect(readme).toContain("npm test");
    expect(ci).toMatch(/^npm test$/m);
    expect(readme).toContain("npm run deploy:local");
  });
});
