/** Resources shaped like the program's (see the recorded stacks), for one policy at a time. */
import { contextFromConfig, PackContext } from "../../../../policy/context";
import { T } from "../../support/resources";
import { ResourceSpec } from "./analyzer";

export const DIGEST = `sha256:${"ab".repeat(32)}`;
export const REPO_DIGEST = `registry.example.com/app/laravel-backend@${DIGEST}`;

export const ctxFor = (stack: string, config: Record<string, string> = {}): PackContext => contextFromConfig(stack, config);
export const LOCAL = ctxFor("local");
export const PROD = ctxFor("prod");

/** A long-running container with every setting the program gives one; `undefined` removes a setting. */
export function container(name: string, role: string, props: Record<string, unknown> = {}): ResourceSpec {
  const all: Record<string, unknown> = {
    name: `php-backend-test-${name}`,
    image: REPO_DIGEST,
    labels: [{ label: "php-backend.stack", value: "php-backend-test" }, { label: "php-backend.role", value: role }],
    memory: 256,
    memorySwap: 256,
    cpus: "1.0",
    restart: "unless-stopped",
    healthcheck: { tests: ["CMD-SHELL", "true"], interval: "5s", timeout: "3s", retries: 3, startPeriod: "10s" },
    logDriver: "json-file",
    logOpts: { "max-size": "10m", "max-file": "3" },
    ...props,
  };
  // The engine never sends unset properties.
  return { type: T.container, name, props: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) };
}

/** The program's migration container: one-shot, no cpus, no health check, restart "no". */
export const migration = (props: Record<string, unknown> = {}) =>
  container("migrate", "migrate", { attach: true, mustRun: false, restart: "no", healthcheck: undefined, cpus: undefined, ...props });

export const remoteImage = (name: string, imageName: string): ResourceSpec => ({ type: T.remoteImage, name, props: { name: imageName, keepLocally: true } });

export function image(name: string, imageName: string, args: Record<string, string>): ResourceSpec {
  return { type: T.image, name, props: { imageName, build: { context: "app", dockerfile: "Dockerfile", args }, buildOnPreview: false } };
}
