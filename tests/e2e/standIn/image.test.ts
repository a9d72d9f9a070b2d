/**
 * docker.Image under the engine mocks: built, pushed to a registry container that the same
 * program runs, and `repoDigest` checked against the engine and the registry's own API.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { docker as cli } from "../../../harness/engine/dockerCli";
import { DockerEngineMocks, leftovers, sweepRun } from "../../../harness/engine/dockerEngineMocks";

const BASE = "stand-in/debian:bookworm";
const mocks = new DockerEngineMocks({ log: (m) => process.env.E2E_VERBOSE && console.log(m) });
mocks.install(pulumi, "proj", "stack");
jest.setTimeout(5 * 60_000);

/** bcrypt of "e2e-password": a throw-away credential for the authenticated registry. */
const HTPASSWD = "e2e:$2b$10$EuowLEd5uJIvmQ9RKY1XseeMpPAxeXdQ27z7Ai2ofrvXxx2azljkW\n";
const MANIFEST = { Accept: "application/vnd.docker.distribution.manifest.v2+json" };
const buildDir = mkdtempSync(join(tmpdir(), "e2e-tiny-"));
writeFileSync(join(buildDir, "Dockerfile"), `FROM ${BASE}\nARG GREETING\nRUN echo "$GREETING" > /greeting\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** A registry:2 container published on loopback only, healthy once it accepts connections. */
function registry(name: string, port: number, auth: boolean) {
  return new docker.Container(name, {
    image: "stand-in/registry:2",
    ports: [{ internal: 5000, external: port, ip: "127.0.0.1" }],
    envs: auth
      ? ["REGISTRY_AUTH=htpasswd", "REGISTRY_AUTH_HTPASSWD_REALM=e2e", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd"]
      : [],
    uploads: auth ? [{ file: "/auth/htpasswd", content: HTPASSWD }] : [],
    healthcheck: { tests: ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5000"], interval: "1s", retries: 20 },
    wait: true,
  });
}

afterAll(async () => {
  rmSync(buildDir, { recursive: true, force: true });
  await mocks.teardown().finally(() => sweepRun(mocks.runId));
});

test("build + push: repoDigest is the digest the engine and the registry recorded", async () => {
  const server = `127.0.0.1:${await freePort()}`;
  const reg = registry("registry", Number(server.split(":")[1]), false);
  const image = new docker.Image(
    "tiny",
    {
      imageName: `${server}/e2e/tiny:1`,
      build: { context: buildDir, args: { GREETING: "hi from a build arg" }, platform: "linux/amd64" },
      registry: { server },
    },
    { dependsOn: [reg] },
  );
  // Runs the pushed digest: the reference a program hands to its containers.
  const fromDigest = new docker.Container("from-digest", {
    image: image.repoDigest,
    command: ["cat", "/greeting"],
    attach: true,
    logs: true,
    mustRun: false,
  });

  const repoDigest = await mocks.value(image.repoDigest);
  expect(repoDigest).toMatch(/^127\.0\.0\.1:\d+\/e2e\/tiny@sha256:[0-9a-f]{64}$/);
  expect(JSON.parse(await cli(["image", "inspect", `${server}/e2e/tiny:1`]))[0].RepoDigests).toContain(repoDigest);
  const res = await fetch(`http://${server}/v2/e2e/tiny/manifests/1`, { method: "HEAD", headers: MANIFEST });
  expect(res.status).toBe(200);
  expect(repoDigest).toBe(`${server}/e2e/tiny@${res.headers.get("docker-content-digest")}`);
  expect(await mocks.value(image.dockerfile)).toBe("Dockerfile");
  expect(await mocks.value(image.registryServer)).toBe(server);
  expect(await mocks.value(fromDigest.containerLogs)).toBe("hi from a build arg\n");
});

test("registry credentials: login goes to a throw-away CLI config, the push is authenticated", async () => {
  const userConfig = join(homedir(), ".docker", "config.json");
  const before = existsSync(userConfig) ? readFileSync(userConfig, "utf8") : undefined;
  const server = `127.0.0.1:${await freePort()}`;
  const reg = registry("auth-registry", Number(server.split(":")[1]), true);
  const image = new docker.Image(
    "private",
    {
      imageName: `${server}/e2e/private:1`,
      build: { context: buildDir, args: { GREETING: "private" } },
      registry: { server, username: "e2e", password: pulumi.secret("e2e-password") },
    },
    { dependsOn: [reg] },
  );

  const repoDigest = await mocks.value(image.repoDigest);
  const url = `http://${server}/v2/e2e/private/manifests/1`;
  expect((await fetch(url, { method: "HEAD", headers: MANIFEST })).status).toBe(401);
  const basic = `Basic ${Buffer.from("e2e:e2e-password").toString("base64")}`;
  const res = await fetch(url, { method: "HEAD", headers: { ...MANIFEST, Authorization: basic } });
  expect(res.status).toBe(200);
  expect(repoDigest).toBe(`${server}/e2e/private@${res.headers.get("docker-content-digest")}`);
  expect(existsSync(userConfig) ? readFileSync(userConfig, "utf8") : undefined).toBe(before);
});

test("teardown removes the registries, the image tags and the CLI config", async () => {
  const images = mocks.created.filter((c) => c.type === "docker:index/image:Image").map((c) => c.id);
  const dirs = mocks.ledger.list().filter((e) => e.kind === "dir").map((e) => e.ref);
  expect(images).toHaveLength(2);
  expect(dirs).toHaveLength(1);
  await mocks.teardown();
  expect(await leftovers(mocks.runId)).toEqual([]);
  for (const tag of images) await expect(cli(["image", "inspect", tag])).rejects.toThrow(/No such image/);
  for (const dir of dirs) expect(existsSync(dir)).toBe(false);
});
