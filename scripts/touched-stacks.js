#!/usr/bin/env node
/**
 * Which deployed stacks (dev, prod) a change touches, from the changed paths on stdin (one per
 * line, as `git diff --name-only --no-renames` prints them). Prints a JSON array for a workflow
 * matrix, e.g. ["dev","prod"]. Used by .github/workflows/preview.yml.
 *
 * - Pulumi.dev.yaml touches dev, Pulumi.prod.yaml touches prod.
 * - Paths that no deployed stack reads (the local stack, root documentation, tests, benchmarks,
 *   the test harness and stand-in images, CI, the local-stack scripts) touch none.
 * - Anything else (program code, templates, the app, the policy pack, package files, the
 *   workflows themselves) touches both: when in doubt, preview.
 */
"use strict";

const STACKS = ["dev", "prod"];

const NOT_DEPLOYED = [
  /^Pulumi\.local\.yaml$/,
  /^[^/]+\.md$/, // root documentation only: a README inside the app is in its build context
  /^tests\//,
  /^bench\//,
  /^harness\//,
  /^images\/stand-ins\//,
  /^examples\/stock-laravel\//,
  /^\.ci\//,
  /^scripts\/(deploy-local|preview-local|destroy-local|build-base-images|ensure-docker|pulumi-cli)\.sh$/,
];

/** The stacks that the changed paths touch, in STACKS order. */
function touchedStacks(paths) {
  const touched = new Set();
  for (const p of paths.map((s) => s.trim()).filter(Boolean)) {
    const stackFile = /^Pulumi\.([^./]+)\.yaml$/.exec(p);
    if (stackFile && STACKS.includes(stackFile[1])) touched.add(stackFile[1]);
    else if (!NOT_DEPLOYED.some((re) => re.test(p))) STACKS.forEach((s) => touched.add(s));
  }
  return STACKS.filter((s) => touched.has(s));
}

module.exports = { touchedStacks };

if (require.main === module) {
  let input = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (input += chunk));
  process.stdin.on("end", () => process.stdout.write(JSON.stringify(touchedStacks(input.split("\n"))) + "\n"));
}
