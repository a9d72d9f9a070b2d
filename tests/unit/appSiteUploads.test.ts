/**
 * The release nginx's uploads location, run by the real nginx on the rendered site over a scratch
 * document root: uploaded files come back as files, with the headers that keep an uploaded page
 * from running as the app, and never as code.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "../../harness/stack/fixtures";
import { curl } from "../../harness/stack/probe";
import { renderAppSite, UPLOAD_HEADERS } from "../../release/render/nginxSite";
import { RunningNginx, startNginx } from "./support/nginx";

let nginx: RunningNginx;
let port: number;
const get = (p: string) => curl([`http://127.0.0.1:${port}${p}`]);

beforeAll(async () => {
  port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-site-"));
  const root = path.join(dir, "public");
  fs.mkdirSync(path.join(root, "storage"), { recursive: true });
  fs.writeFileSync(path.join(root, "storage", "page.html"), "<script>alert(document.cookie)</script>");
  fs.writeFileSync(path.join(root, "storage", "shell.php"), "<?php system($_GET['c']);");
  fs.writeFileSync(path.join(root, "storage", ".env"), "APP_KEY=x");
  fs.writeFileSync(path.join(root, "robots.txt"), "User-agent: *");
  const site = renderAppSite({ fpmHost: "fpm", fpmPort: 9000, root, healthPath: "/nginx-health", uploadsPath: "/storage", maxBodySizeMb: 20 })
    .replace("listen 80 default_server", `listen 127.0.0.1:${port} default_server`);
  nginx = startNginx(dir, site);
});

afterAll(() => nginx.stop());

test("an uploaded page is served with nosniff and a sandboxing Content-Security-Policy", async () => {
  const reply = await get("/storage/page.html");
  expect(reply.head).toMatch(/^HTTP\/1\.1 200/);
  expect(reply.head).toMatch(/^X-Content-Type-Options: nosniff\r?$/im);
  expect(reply.head).toMatch(/^Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; sandbox\r?$/im);
  expect(UPLOAD_HEADERS.map(([name]) => name)).toEqual(["X-Content-Type-Options", "Content-Security-Policy"]);
});

test("the headers come with a missing upload's 404 too, and only under /storage/", async () => {
  expect((await get("/storage/missing.png")).head).toMatch(/^HTTP\/1\.1 404[^]*^X-Content-Type-Options: nosniff/im);
  expect((await get("/robots.txt")).head).not.toMatch(/X-Content-Type-Options|Content-Security-Policy/i);
});

test("an uploaded .php comes back as its source, never run; an uploaded dotfile is denied", async () => {
  const php = await get("/storage/shell.php");
  expect(php.head).toMatch(/^HTTP\/1\.1 200/);
  expect(php.body).toBe("<?php system($_GET['c']);");
  expect((await get("/storage/.env")).head).toMatch(/^HTTP\/1\.1 403/);
});
