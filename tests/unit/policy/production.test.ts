import { edgeTls } from "../../../policy/rules/edgeTls";
import { noDatabase } from "../../../policy/rules/noDatabase";
import { noLatest } from "../../../policy/rules/noLatest";
import { replicas } from "../../../policy/rules/replicas";
import { renderEdge } from "../../../release/render/edgeSite";
import { validateResource, validateStack } from "./support/analyzer";
import { container, ctxFor, DIGEST, image, LOCAL, PROD, remoteImage } from "./support/fixtures";

const messages = async (...args: Parameters<typeof validateResource>) => (await validateResource(...args)).map((v) => v.message);
const SITE = "/etc/nginx/conf.d/default.conf";
const edgeConfig = (o: { tls?: boolean; behindLoadBalancer?: boolean }) => renderEdge({
  upstreamHost: "app", upstreamPort: 80, healthPath: "/edge-health", behindLoadBalancer: o.behindLoadBalancer,
  publicOrigin: "https://www.example.com", maxBodySizeMb: 20,
  tls: o.tls ? { certificateFile: "/etc/nginx/tls/fullchain.pem", keyFile: "/etc/nginx/tls/privkey.pem" } : undefined,
});
const edge = (config: string, extraUploads: { file: string; content: string }[] = [], ports = [{ internal: 80, external: 80, ip: "0.0.0.0" }]) =>
  container("edge", "edge", { image: DIGEST, uploads: [{ file: SITE, content: config }, ...extraUploads], ports });

describe("the production rules apply to prod stacks only", () => {
  test("prod, prod-*, or environment=prod", () => {
    expect([ctxFor("prod"), ctxFor("prod-eu"), ctxFor("live", { "php-backend:environment": "prod" })].map((c) => c.prod)).toEqual([true, true, true]);
    expect([ctxFor("local"), ctxFor("production"), ctxFor("dev")].map((c) => c.prod)).toEqual([false, false, false]);
  });

  test("elsewhere they are not applicable, so nothing is reported", async () => {
    expect(await messages(noDatabase(LOCAL), container("database", "database"))).toEqual([]);
    expect(await messages(noLatest(LOCAL), remoteImage("edge-image", "nginx:latest"))).toEqual([]);
  });
});

describe("prod-no-latest-tag (mandatory)", () => {
  test("passes versioned images and base images", async () => {
    expect(await messages(noLatest(PROD), image("nginx-image", "r.example.com/app/laravel-nginx:v1.0.0-0123456789ab", { NGINX_BASE_IMAGE: "nginx:1.27" }))).toEqual([]);
    expect(await messages(noLatest(PROD), container("fpm-0", "php-fpm"))).toEqual([]);
  });

  test("refuses latest in an image name, a base image build arg, a RemoteImage and a container", async () => {
    expect(await messages(noLatest(PROD), image("backend-image", "r.example.com/app/laravel-backend:latest", { BASE_IMAGE: "debian" }))).toEqual([
      'Image "backend-image": imageName "r.example.com/app/laravel-backend:latest" is latest; prod names a version you can roll back to',
      'Image "backend-image": build arg BASE_IMAGE "debian" is latest; prod names a version you can roll back to',
    ]);
    expect(await messages(noLatest(PROD), remoteImage("redis-image", "redis:latest"))).toHaveLength(1);
    expect(await messages(noLatest(PROD), container("edge", "edge", { image: "nginx" }))).toHaveLength(1);
  });
});

describe("prod-edge-tls (mandatory)", () => {
  test("passes an edge that terminates TLS, and one behind a load balancer (the program's own configs)", async () => {
    const files = [{ file: "/etc/nginx/tls/fullchain.pem", content: "CERT" }, { file: "/etc/nginx/tls/privkey.pem", content: "KEY" }];
    const tlsPorts = [{ internal: 80, external: 80, ip: "0.0.0.0" }, { internal: 443, external: 443, ip: "0.0.0.0" }];
    expect(await messages(edgeTls(PROD), edge(edgeConfig({ tls: true }), files, tlsPorts))).toEqual([]);
    expect(await messages(edgeTls(PROD), edge(edgeConfig({ behindLoadBalancer: true })))).toEqual([]);
  });

  test("refuses an edge serving plain HTTP, and one with the TLS config but without port 443", async () => {
    expect(await messages(edgeTls(PROD), edge(edgeConfig({})))).toEqual([
      'edge "edge" serves plain HTTP: it lacks a certificate and key under /etc/nginx/tls/, `listen 443 ssl` in its nginx config, a published port 443;' +
        " and its config does not pass a load balancer's X-Forwarded-Proto on",
    ]);
    const files = [{ file: "/etc/nginx/tls/fullchain.pem", content: "CERT" }, { file: "/etc/nginx/tls/privkey.pem", content: "KEY" }];
    expect(await messages(edgeTls(PROD), edge(edgeConfig({ tls: true }), files))).toEqual([
      expect.stringContaining("it lacks a published port 443;"),
    ]);
  });

  test("looks at the edge only", async () => {
    expect(await messages(edgeTls(PROD), container("nginx-0", "app-nginx", { uploads: [{ file: SITE, content: "listen 80;" }] }))).toEqual([]);
  });
});

describe("prod-no-database-container (mandatory)", () => {
  test("passes the prod shape, refuses a database container or image", async () => {
    expect(await messages(noDatabase(PROD), container("redis-0", "redis"))).toEqual([]);
    expect(await messages(noDatabase(PROD), remoteImage("redis-image", "redis:7.2"))).toEqual([]);
    expect(await messages(noDatabase(PROD), container("database", "database"))).toEqual([
      'container "database" is a database container: prod uses a managed database (dbKind=external)',
    ]);
    expect(await messages(noDatabase(PROD), remoteImage("db-image", "docker.io/library/postgres:15"))).toHaveLength(1);
  });
});

describe("prod-serving-replicas (advisory, stack)", () => {
  const serving = (fpm: number, nginx: number) => [
    ...Array.from({ length: fpm }, (_, i) => container(`fpm-${i}`, "php-fpm")),
    ...Array.from({ length: nginx }, (_, i) => container(`nginx-${i}`, "app-nginx")),
    container("worker-0", "worker"),
  ];

  test("passes two of each in prod, and anything outside prod", async () => {
    expect(await validateStack(replicas(PROD), serving(2, 2))).toEqual([]);
    expect(await validateStack(replicas(LOCAL), serving(1, 0))).toEqual([]);
  });

  test("advises on each role below two in prod", async () => {
    const found = await validateStack(replicas(PROD), serving(4, 1));
    expect(found.map((v) => [v.level, v.message])).toEqual([["advisory", "1 app-nginx container(s) in prod: run at least 2 (fpmReplicas / nginxReplicas)"]]);
  });
});
