import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { contextEntries } from "../../components/images/imageContent";
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

describe("backend build context: the product's rules, whatever the app's .dockerignore says", () => {
  const dockerfile = path.join(ROOT, "templates", "backend", "Dockerfile");
  const app = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-"));
  const files = [
    ".env", ".env.example", ".env.production", ".git/config", ".dockerignore", "artisan", "composer.json",
    "app/Models/User.php", "vendor/autoload.php", "node_modules/x/index.js", "bootstrap/cache/config.php",
    "bootstrap/cache/.gitignore", "storage/logs/laravel.log", "storage/framework/views/abc.php",
    "storage/framework/sessions/s1", "storage/app/public/avatar.png", "storage/app/public/.gitignore",
    "storage/app/private.txt", "public/index.php", "public/hot",
  ];
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    fs.writeFileSync(path.join(app, file), file === ".dockerignore" ? "# the app's own rules, which let everything in\n" : "x");
  }
  const sent = contextEntries(app, dockerfile).map((e) => e.path);

  test("leaves out env files, VCS data, local dependencies and runtime state", () => {
    for (const file of [".env", ".env.example", ".env.production", ".git/config", "vendor/autoload.php", "node_modules/x/index.js",
      "bootstrap/cache/config.php", "storage/logs/laravel.log", "storage/framework/views/abc.php", "storage/framework/sessions/s1",
      "storage/app/public/avatar.png", "storage/app/private.txt", "public/hot"]) {
      expect({ file, sent: sent.includes(file) }).toEqual({ file, sent: false });
    }
  });

  test("sends the application itself", () => {
    for (const file of ["artisan", "composer.json", "app/Models/User.php", "public/index.php", "bootstrap/cache/.gitignore"]) {
      expect({ file, sent: sent.includes(file) }).toEqual({ file, sent: true });
    }
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
