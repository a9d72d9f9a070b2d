/** Reading the GitHub Actions workflows for the workflow tests. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const DIR = path.join(ROOT, ".github", "workflows");

export type Dict = Record<string, unknown>;
export interface Step { name?: string; id?: string; uses?: string; run?: string; with?: Dict; env?: Dict }
export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Dict;
  environment?: string | { name: string; url?: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  strategy?: { matrix: Dict };
  env?: Dict;
  steps: Step[];
}
export interface Workflow { name: string; on: Dict; permissions?: Dict; concurrency?: Dict; env?: Dict; jobs: Record<string, Job> }

export const FILES = ["preview.yml", "deploy.yml", "drift.yml"];
export const text = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");
export const load = (file: string) => parse(text(file)) as Workflow;
export const wf = Object.fromEntries(FILES.map((f) => [f, load(f)])) as Record<string, Workflow>;
export const allJobs = () => FILES.flatMap((f) => Object.entries(wf[f].jobs).map(([id, job]) => ({ file: f, id, job })));

// Inputs from each action's action.yml at the pinned major tag: pulumi/actions v7 (8e5e406),
// actions/checkout v7 (3d3c42e), actions/setup-node v7 (8207627).
export const INPUTS: Record<string, string[]> = {
  "pulumi/actions@v7": [
    "command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr",
    "comment-on-pr-number", "comment-on-summary", "github-token", "cloud-url", "secrets-provider",
    "parallel", "message", "config-map", "expect-no-changes", "diff", "replace", "exclude",
    "exclude-dependents", "target", "target-dependents", "policyPacks", "policyPackConfigs",
    "refresh", "upsert", "remove", "edit-pr-comment", "color", "exclude-protected", "plan",
    "suppress-outputs", "suppress-progress", "always-include-summary", "continue-on-error",
    "log-verbosity", "log-flow", "debug",
  ],
  "actions/checkout@v7": [
    "repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user",
    "persist-credentials", "path", "clean", "filter", "sparse-checkout", "sparse-checkout-cone-mode",
    "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory",
    "github-server-url", "allow-unsafe-pr-checkout",
  ],
  "actions/setup-node@v7": [
    "node-version", "node-version-file", "architecture", "check-latest", "registry-url", "scope",
    "token", "cache", "package-manager-cache", "cache-dependency-path", "mirror", "mirror-token",
  ],
};

/** Every repository secret the workflows use, and the only ones. */
export const SECRETS = [
  "ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
  "DOCKER_KNOWN_HOSTS", "DOCKER_SSH_KEY_DEV", "DOCKER_SSH_KEY_PROD", "PULUMI_CONFIG_PASSPHRASE",
];
/** Whether an env entry (UPPER_CASE) or an action input (kebab-case) carries a credential. */
export const isCredential = (key: string) =>
  /^[A-Z0-9_]+$/.test(key)
    ? /KEY|SECRET|PASSPHRASE|PASSWORD|TOKEN|KNOWN_HOSTS|CREDENTIALS/.test(key)
    : /(^|-)(token|key|password|passphrase|secret|known-hosts)(-|$)/.test(key);

export const pulumiSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
export const pulumiStep = (job: Job) => {
  const steps = pulumiSteps(job);
  expect(steps).toHaveLength(1);
  return steps[0];
};
export const runs = (job: Job) => job.steps.map((s) => s.run).filter((r): r is string => typeof r === "string");
export const needs = (job: Job) => (job.needs === undefined ? [] : ([] as string[]).concat(job.needs));
export const envName = (job: Job) => (typeof job.environment === "string" ? job.environment : job.environment?.name);
/** The run steps in the order given appear in the job in that order. */
export function expectInOrder(job: Job, commands: string[]) {
  const lines = runs(job).map((r) => r.trim());
  const at = commands.map((c) => lines.indexOf(c));
  expect(commands.filter((_, i) => at[i] < 0)).toEqual([]);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
}
