/** docker.Image's context digest, following pulumi-docker provider/provider.go hashContext. */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contextDigest, goFileMode } from "../../../harness/engine/contextDigest";

let dir: string;
let dockerfile: string;
const write = (rel: string, content: string, mode = 0o644) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
  fs.chmodSync(path.join(dir, rel), mode);
};
const digest = () => contextDigest(path.join(dir, "ctx"), dockerfile);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-digest-"));
  dockerfile = path.join(dir, "Dockerfile");
  fs.writeFileSync(dockerfile, "FROM scratch\n");
  write("ctx/a.php", "<?php echo 1;");
  write("ctx/public/app.css", "body{}");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("Go's FileMode.String() for the modes a context holds", () => {
  expect(goFileMode(0o100644)).toBe("-rw-r--r--");
  expect(goFileMode(0o100755)).toBe("-rwxr-xr-x");
  expect(goFileMode(0o120777)).toBe("Lrwxrwxrwx");
  expect(goFileMode(0)).toBe("----------");
});

test("the byte layout: Dockerfile (name \"Dockerfile\", mode 0), then each file: path, mode, sha256, NUL", () => {
  const sha = (s: string) => createHash("sha256").update(s).digest();
  const entry = (name: string, mode: string, content: string) => Buffer.concat([Buffer.from(name + mode), sha(content), Buffer.from([0])]);
  const expected = createHash("sha256")
    .update(Buffer.concat([
      entry("Dockerfile", "----------", "FROM scratch\n"),
      entry("a.php", "-rw-r--r--", "<?php echo 1;"),
      entry("public/app.css", "-rw-r--r--", "body{}"),
    ]))
    .digest("hex");
  expect(digest()).toBe(expected);
});

test("changes with a file's content, its mode, its name, and the Dockerfile", () => {
  const seen = new Set([digest()]);
  write("ctx/a.php", "<?php echo 2;");
  seen.add(digest());
  fs.chmodSync(path.join(dir, "ctx/a.php"), 0o755);
  seen.add(digest());
  fs.renameSync(path.join(dir, "ctx/a.php"), path.join(dir, "ctx/b.php"));
  seen.add(digest());
  fs.writeFileSync(dockerfile, "FROM scratch\nCOPY . /\n");
  seen.add(digest());
  expect(seen.size).toBe(5);
});

test("files .dockerignore excludes do not count; <Dockerfile>.dockerignore takes precedence over the context's", () => {
  write("ctx/.dockerignore", "*.log\n");
  const before = digest();
  write("ctx/debug.log", "noise");
  expect(digest()).toBe(before);
  fs.writeFileSync(`${dockerfile}.dockerignore`, "public\n");
  const withDockerfileIgnore = digest();
  write("ctx/public/app.css", "body{color:red}");
  expect(digest()).toBe(withDockerfileIgnore);
  write("ctx/debug.log", "more noise");
  expect(digest()).not.toBe(withDockerfileIgnore);
});
