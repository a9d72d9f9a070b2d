/**
 * docker.Image (build, then push unless skipPush) and docker.RemoteImage (pull if missing),
 * following pulumi-docker's native Image provider and the terraform provider's docker_image.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix, relative, resolve } from "node:path";
import { Created, EngineContext } from "./context";
import { engine, EngineError } from "./dockerApi";
import { contextDigest } from "./contextDigest";
import { buildKitCli, docker as cli } from "./dockerCli";
import { onlyKnown, required } from "./inputs";

type ImageIn = pulumi.Unwrap<docker.ImageArgs>;
type RemoteImageIn = pulumi.Unwrap<docker.RemoteImageArgs>;

/** `host:5000/ns/repo:tag` -> `host:5000/ns/repo` (a digest reference keeps its repository). */
export function repositoryOf(ref: string): string {
  const at = ref.indexOf("@");
  if (at >= 0) return ref.slice(0, at);
  const colon = ref.lastIndexOf(":");
  return colon > ref.lastIndexOf("/") ? ref.slice(0, colon) : ref;
}

async function inspectImage(ref: string): Promise<{ Id: string; RepoDigests: string[] | null } | undefined> {
  return engine("GET", `/images/${encodeURIComponent(ref)}/json`).catch((e) => {
    if (e instanceof EngineError && e.status === 404) return undefined;
    throw e;
  });
}

/** Provider defaults: context ".", Dockerfile "<context>/Dockerfile"; both relative to the program. */
function buildPaths(cwd: string, b: NonNullable<ImageIn["build"]>) {
  const context = b.context ?? ".";
  const dockerfile = b.dockerfile ?? posix.join(context, "Dockerfile");
  return { context, dockerfile, absContext: resolve(cwd, context), absDockerfile: resolve(cwd, dockerfile) };
}

function validateImage(where: string, i: ImageIn): void {
  onlyKnown(where, i, ["imageName", "build", "registry", "skipPush", "buildOnPreview"]);
  const known = ["context", "dockerfile", "args", "target", "platform", "builderVersion", "cacheFrom", "addHosts", "network"];
  onlyKnown(`${where} build`, i.build, [...known, "contextDigest"]);
  onlyKnown(`${where} build.cacheFrom`, i.build?.cacheFrom, ["images"]);
  onlyKnown(`${where} registry`, i.registry, ["server", "username", "password"]);
}

/** pulumi-docker provider/provider.go, Check: the inputs plus build.contextDigest (hashContext). */
export function checkImage(cwd: string, resourceName: string, i: ImageIn): ImageIn {
  validateImage(`Image "${resourceName}"`, i);
  const b = i.build ?? {};
  const { absContext, absDockerfile } = buildPaths(cwd, b);
  return { ...i, build: { ...b, contextDigest: contextDigest(absContext, absDockerfile) } as typeof b };
}

export async function createImage(ctx: EngineContext, resourceName: string, i: ImageIn): Promise<Created> {
  const where = `Image "${resourceName}"`;
  validateImage(where, i);
  const b = i.build ?? {};
  const imageName = required(`${where} imageName`, i.imageName);

  const { context, absContext, absDockerfile } = buildPaths(ctx.cwd, b);

  // BuildKit unless the program asks for the classic builder (provider/image.go, marshalBuilder).
  const useBuildKit = b.builderVersion !== "BuilderV1";
  const args = ["build", "--tag", imageName, "--file", absDockerfile];
  for (const [k, v] of Object.entries(b.args ?? {})) args.push("--build-arg", `${k}=${v}`);
  if (b.target) args.push("--target", b.target);
  if (b.platform) args.push("--platform", b.platform);
  if (b.network) args.push("--network", b.network);
  for (const h of b.addHosts ?? []) args.push("--add-host", h);
  for (const c of b.cacheFrom?.images ?? []) args.push("--cache-from", c);
  ctx.log(`building ${imageName}`);
  const binary = useBuildKit ? await buildKitCli() : "docker";
  await cli([...args, absContext], { binary, env: { DOCKER_BUILDKIT: useBuildKit ? "1" : "0" } });
  ctx.ledger.add("image", imageName);

  const built = required(`${where} built image`, await inspectImage(imageName));
  let repoDigest = built.Id; // local-only images: the image id
  if (!i.skipPush) {
    // Credentials go to a throw-away CLI config, never to the user's ~/.docker.
    const { server, username, password } = i.registry ?? {};
    const config: string[] = [];
    if (username && password) {
      const dir = mkdtempSync(join(tmpdir(), "e2e-docker-config-"));
      ctx.ledger.add("dir", dir);
      config.push("--config", dir);
      await cli([...config, "login", "--username", username, "--password-stdin", required(`${where} registry.server`, server)], {
        input: password,
      });
    }
    ctx.log(`pushing ${imageName}`);
    await cli([...config, "push", imageName]);
    const pushed = required(`${where} pushed image`, await inspectImage(imageName));
    const repo = repositoryOf(imageName);
    const match = (pushed.RepoDigests ?? []).find((d) => repositoryOf(d) === repo);
    repoDigest = required(`${where} repoDigest for ${repo} (RepoDigests: ${JSON.stringify(pushed.RepoDigests)})`, match);
    ctx.pushes.push({ imageName, repoDigest });
  }
  return {
    id: imageName,
    outputs: {
      imageName,
      baseImageName: imageName,
      registryServer: i.registry?.server ?? "",
      context,
      dockerfile: relative(absContext, absDockerfile).split("\\").join("/"),
      platform: b.platform,
      repoDigest,
    },
  };
}

export async function createRemoteImage(ctx: EngineContext, resourceName: string, i: RemoteImageIn): Promise<Created> {
  const where = `RemoteImage "${resourceName}"`;
  // triggers/pullTriggers only force replacement; keepLocally/forceRemove only matter on delete.
  onlyKnown(where, i, ["name", "keepLocally", "platform", "triggers", "pullTriggers", "forceRemove"]);
  const name = required(`${where} name`, i.name);
  let image = await inspectImage(name);
  if (!image) {
    ctx.log(`pulling ${name}`);
    await cli(["pull", ...(i.platform ? ["--platform", i.platform] : []), name]);
    // The provider removes it on delete unless keepLocally; only what the mocks pulled is removed.
    if (!i.keepLocally) ctx.ledger.add("image", name);
    image = required(`${where} pulled image`, await inspectImage(name));
  }
  const repo = repositoryOf(name);
  const repoDigest = (image.RepoDigests ?? []).find((d) => repositoryOf(d) === repo) ?? image.RepoDigests?.[0] ?? "";
  return { id: `${image.Id}${name}`, outputs: { name, imageId: image.Id, repoDigest } };
}
