import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { checkBuildContext } from "../../stacks/appDirectory";
import { generatedFiles } from "../../scripts/generate";
import { OWNED_ENV } from "../../release/environment";
import { APP_DIR, PUBLIC_DIR } from "../../release/names";
import { KEYS } from "../../stacks/schema";
import { ROOT } from "./support/runProgram";

describe("Pulumi.yaml", () => {
  const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

  test("is a TypeScript nodejs project named like the config namespace", () => {
    expect(project.name).toBe("php-backend");
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true } });
  });

  test("declares every key with a default (and the required version) with the schema's type and default", () => {
    for (const [key, spec] of Object.entries(KEYS) as [string, { type: string; default?: unknown }][]) {
      if (spec.default === undefined && key !== "version") expect(project.config[key]).toBeUndefined();
      else expect({ key, ...project.config[key] }).toMatchObject({ key, type: spec.type, ...(spec.default === undefined ? {} : { default: spec.default }) });
    }
  });

  test("stack files use only known keys of this project", () => {
    const known = new Set(Object.keys(KEYS));
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

describe("generated files", () => {
  test.each(generatedFiles(ROOT).map((f) => [f.path, f.content]))("%s is what `npm run generate` writes", (file, content) => {
    expect(fs.readFileSync(path.join(ROOT, file), "utf8")).toBe(content);
  });

  test("the Dockerfiles put the app where the program looks for it", () => {
    const backend = fs.readFileSync(path.join(ROOT, "templates", "backend", "Dockerfile"), "utf8");
    const nginx = fs.readFileSync(path.join(ROOT, "templates", "nginx", "Dockerfile"), "utf8");
    expect([...backend.matchAll(/^WORKDIR (\S+)$/gm)].map((m) => m[1])).toEqual([APP_DIR, APP_DIR]);
    expect(nginx).toMatch(new RegExp(`^COPY \\. ${PUBLIC_DIR}$`, "m"));
  });
});

describe("backend build context", () => {
  const dirWith = (files: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-"));
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    return dir;
  };
  const messages = (problems: { message: string }[]) => problems.map((p) => p.message);

  test("the example app keeps .env and .git out of its context", () => {
    expect(checkBuildContext(path.join(ROOT, "examples", "laravel-app"))).toEqual([]);
  });

  test("a context without a .dockerignore is refused, naming both entries and the line to add", () => {
    const problems = checkBuildContext(dirWith({ "index.php": "<?php" }));
    expect(messages(problems).join("\n")).toMatch(/must exclude "\.env"[\s\S]*must exclude "\.git"/);
    expect(problems[0].fix).toMatch(/^echo '\.env' >> .*\.dockerignore$/);
  });

  test("a .dockerignore that forgets .env is refused", () => {
    expect(messages(checkBuildContext(dirWith({ ".dockerignore": ".git\nnode_modules\n" })))).toEqual([
      expect.stringContaining('must exclude ".env"'),
    ]);
  });
});

describe("README", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

  test("documents every configuration key", () => {
    for (const key of Object.keys(KEYS)) expect(readme).toContain(`| \`${key}\` |`);
  });

  test("lists every environment variable the program sets", () => {
    const section = readme.slice(readme.indexOf("Environment given to every app container"));
    for (const name of OWNED_ENV) expect(section).toContain(`\`${name}`);
  });

  test("gives the commands CI and package.json run", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    expect(readme).toContain("npm test");
    expect(ci).toMatch(/^npm test$/m);
    expect(readme).toContain("npm run deploy:local");
  });
});
