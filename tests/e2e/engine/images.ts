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
import { docker as cli, dockerMaybe } from "./dockerCli";
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

let buildKit: Promise<boolean> | undefined;
/** BuildKit (the provider's default builder) needs the buildx plugin with a current CLI. */
const hasBuildKit = () => (buildKit ??= dockerMaybe(["buildx", "version"]).then((v) => v !== undefined));

export async function createImage(ctx: EngineContext, resourceName: string, i: ImageIn): Promise<Created> {
  const where = `Image "${resourceName}"`;
  // buildOnPreview only matters during a preview, which the mocks never run.
  onlyKnown(where, i, ["imageName", "build", "registry", "skipPush", "buildOnPreview"]);
  const b = i.build ?? {};
  onlyKnown(`${where} build`, b, ["context", "dockerfile", "args", "target", "platform", "builderVersion", "cacheFrom", "addHosts", "network"]);
  onlyKnown(`${where} build.cacheFrom`, b.cacheFrom, ["images"]);
  onlyKnown(`${where} registry`, i.registry, ["server", "username", "password"]);
  const imageName = required(`${where} imageName`, i.imageName);

  // Provider defaults: context ".", Dockerfile "<context>/Dockerfile"; both relative to the program.
  const context = b.context ?? ".";
  const dockerfile = b.dockerfile ?? posix.join(context, "Dockerfile");
  const absContext = resolve(ctx.cwd, context);
  const absDockerfile = resolve(ctx.cwd, dockerfile);

  const useBuildKit = b.builderVersion !== "BuilderV1" && (await hasBuildKit());
  if (b.builderVersion !== "BuilderV1" && !useBuildKit) ctx.log(`${where}: no buildx plugin, building with the legacy builder`);
  const args = ["build", "--tag", imageName, "--file", absDockerfile];
  for (const [k, v] of Object.entries(b.args ?? {})) args.push("--build-arg", `${k}=${v}`);
  if (b.target) args.push("--target", b.target);
  if (b.platform) args.push("--platform", b.platform);
  if (b.network) args.push("--network", b.network);
  for (const h of b.addHosts ?? []) args.push("--add-host", h);
  for (const c of b.cacheFrom?.images ?? []) args.push("--cache-from", c);
  ctx.log(`building ${imageName}`);
  await cli([...args, absContext], { env: { DOCKER_BUILDKIT: useBuildKit ? "1" : "0" } });
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
