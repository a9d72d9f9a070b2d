/**
 * What a stock app gets in production shape, through the real program: HTTPS at the edge,
 * uploads on a volume every release shares, a MySQL database container, a team's own Dockerfile.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { selfSignedCertificate } from "../../harness/tls";
import * as names from "../../release/names";
import { renderEdge } from "../../release/render/edgeSite";
import { nginxTest, writeMainConfig } from "./support/nginx";
import { isSecretWrapper } from "./support/recordingMocks";
import { ProgramRun, runStack } from "./support/runProgram";
import { byRole, envOf, T } from "./support/resources";

const NS = "php-backend";
const cert = selfSignedCertificate(["shop.example.com"]);

describe("HTTPS at the edge", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack("local", {
      [`${NS}:appUrl`]: "https://shop.example.com",
      [`${NS}:tlsCertificate`]: cert.certificate,
      [`${NS}:edgeHttpsPort`]: "8443",
    }, { tlsKey: cert.key });
  }, 60_000);
  const edge = () => byRole(run.ofType(T.container), "edge")[0];

  test("publishes HTTP and HTTPS on the bind address and serves the configured URL", () => {
    expect(edge().inputs.ports).toEqual([
      { internal: 80, external: 8080, ip: "127.0.0.1" },
      { internal: 443, external: 8443, ip: "127.0.0.1" },
    ]);
    expect(run.outputs.url.value).toBe("https://127.0.0.1:8443/");
  });

  test("uploads the certificate in plain and the key as a secret", () => {
    const uploads = edge().inputs.uploads as { file: string; content: string }[];
    expect(uploads.map((u) => u.file)).toEqual([names.NGINX_SITE_FILE, names.EDGE_CERTIFICATE_FILE, names.EDGE_KEY_FILE]);
    expect(uploads[1].content).toBe(cert.certificate.trim());
    expect(uploads[2].content).toBe(cert.key);
    const raw = edge().raw.uploads as unknown[];
    expect(isSecretWrapper(raw) || isSecretWrapper((raw[2] as Record<string, unknown>).content) || isSecretWrapper(raw[2])).toBe(true);
    expect(JSON.stringify(run.outputs)).not.toContain(cert.key.split("\n")[1]);
  });

  test("redirects HTTP to the app URL, with TLS 1.2+, HSTS and the client's view passed on", () => {
    const site = (edge().inputs.uploads as { content: string }[])[0].content;
    expect(site).toContain("return 301 https://shop.example.com$request_uri;");
    expect(site).toContain("ssl_protocols TLSv1.2 TLSv1.3;");
    expect(site).toContain('add_header Strict-Transport-Security "max-age=63072000" always;');
    expect(site).toContain("proxy_set_header X-Forwarded-Proto $scheme;");
    // The client's own X-Forwarded-For is replaced, so it cannot pose as another address.
    expect(site).toContain("proxy_set_header X-Forwarded-For $remote_addr;");
  });

  test("the TLS edge passes the real nginx -t with a real certificate and key", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edge-tls-"));
    fs.writeFileSync(path.join(dir, "cert.pem"), cert.certificate);
    fs.writeFileSync(path.join(dir, "key.pem"), cert.key);
    const site = renderEdge({
      upstreamHost: "app", upstreamPort: 80, healthPath: "/edge-health", appHealthPath: "/up",
      publicOrigin: "https://shop.example.com", maxBodySizeMb: 20,
      tls: { certificateFile: path.join(dir, "cert.pem"), keyFile: path.join(dir, "key.pem") },
    });
    writeMainConfig(dir, site);
    expect(() => nginxTest(dir)).not.toThrow();
    fs.writeFileSync(path.join(dir, "key.pem"), selfSignedCertificate(["other.example.com"]).key);
    expect(() => nginxTest(dir)).toThrow(/key values mismatch/);
    // The app's health path is proxied on plain HTTP too, ahead of the redirect.
    const plain = site.slice(0, site.indexOf("listen 443"));
    expect(plain.indexOf("location = /up {")).toBeGreaterThan(0);
    expect(plain.indexOf("location = /up {")).toBeLessThan(plain.indexOf("return 301"));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("a load balancer in front terminates TLS", () => {
  test("the edge serves HTTP only and passes the load balancer's X-Forwarded-Proto and -For on", async () => {
    const run = await runStack("dev");
    const edge = byRole(run.ofType(T.container), "edge")[0];
    expect(edge.inputs.ports).toEqual([{ internal: 80, external: 80, ip: "0.0.0.0" }]);
    const site = (edge.inputs.uploads as { content: string }[])[0].content;
    expect(site).not.toContain("listen 443");
    expect(site).toContain("proxy_set_header X-Forwarded-Proto $forwarded_proto;");
    expect(site).toContain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
  }, 60_000);
});

describe("uploads", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack("local");
  }, 60_000);
  const mountsOf = (role: string) => byRole(run.ofType(T.container), role).map((c) => c.inputs.volumes);

  test("one volume, named after the stack, that no release replaces", () => {
    const volume = run.ofType(T.volume).filter((v) => v.name.endsWith("-uploads"));
    expect(volume.map((v) => v.inputs)).toEqual([{ name: "php-backend-local-uploads" }]);
  });

  test("every backend container writes it where Laravel's public disk is; nginx reads it at /storage", () => {
    for (const role of ["migrate", "php-fpm", "worker", "scheduler"]) {
      for (const volumes of mountsOf(role)) {
        expect(volumes).toEqual([{ volumeName: "php-backend-local-uploads", containerPath: names.UPLOADS_DIR, readOnly: false }]);
      }
    }
    for (const volumes of mountsOf("app-nginx")) {
      expect(volumes).toEqual([{ volumeName: "php-backend-local-uploads", containerPath: `${names.PUBLIC_DIR}/storage`, readOnly: true }]);
    }
    const site = byRole(run.ofType(T.container), "app-nginx")[0].inputs.uploads[0].content as string;
    expect(site).toMatch(/location \^~ \/storage\/ \{\n\s+try_files \$uri =404;/);
  });

  test("the release nginx gives PHP the client's address and scheme from the edge", () => {
    const site = byRole(run.ofType(T.container), "app-nginx")[0].inputs.uploads[0].content as string;
    expect(site).toContain("real_ip_header X-Forwarded-For;");
    expect(site).toContain("set_real_ip_from 172.16.0.0/12;");
    expect(site).toContain("fastcgi_param HTTPS $forwarded_https if_not_empty;");
    // Its own parameters, not the image's fastcgi_params (Debian's drop the port from HTTP_HOST).
    expect(site).toContain("fastcgi_param HTTP_HOST $http_host;");
    expect(site).not.toContain("include fastcgi_params");
  });
});

describe("MySQL", () => {
  test("a database container runs the mysql image with the app's database, user and password", async () => {
    const run = await runStack("local", { [`${NS}:dbConnection`]: "mysql" });
    const [db] = byRole(run.ofType(T.container), "database");
    const env = envOf(db);
    expect(db.inputs.image).toBeDefined();
    expect(run.ofType(T.remoteImage).map((i) => i.inputs.name)).toContain("mysql:8.0");
    expect(env).toMatchObject({ MYSQL_DATABASE: "laravel", MYSQL_USER: "laravel", MYSQL_RANDOM_ROOT_PASSWORD: "yes" });
    expect(env.MYSQL_PASSWORD.length).toBeGreaterThanOrEqual(32);
    expect(isSecretWrapper(db.raw.envs)).toBe(true);
    expect(db.inputs.volumes).toEqual([{ volumeName: "php-backend-local-database-mysql-data", containerPath: "/var/lib/mysql" }]);
    expect(db.inputs.healthcheck.tests).toEqual(["CMD-SHELL", "mysqladmin ping -h 127.0.0.1 --silent"]);
    const app = envOf(byRole(run.ofType(T.container), "php-fpm")[0]);
    expect(app).toMatchObject({ DB_CONNECTION: "mysql", DB_HOST: "database", DB_PORT: "3306", DB_PASSWORD: env.MYSQL_PASSWORD });
  }, 60_000);

  test("an external MySQL defaults to port 3306, and dbPort still wins", async () => {
    const external = { [`${NS}:dbKind`]: "external", [`${NS}:dbHost`]: "rm-1.mysql.rds.aliyuncs.com", [`${NS}:dbConnection`]: "mysql" };
    const run = await runStack("local", external, { dbPassword: "external-db-pw-1234" });
    expect(envOf(byRole(run.ofType(T.container), "php-fpm")[0])).toMatchObject({ DB_PORT: "3306", DB_HOST: "rm-1.mysql.rds.aliyuncs.com" });
    const other = await runStack("local", { ...external, [`${NS}:dbPort`]: "3307" }, { dbPassword: "external-db-pw-1234" });
    expect(envOf(byRole(other.ofType(T.container), "php-fpm")[0]).DB_PORT).toBe("3307");
  }, 60_000);
});

describe("a team's own backend Dockerfile", () => {
  test("builds the backend image with it, and the nginx image as before", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "own-dockerfile-"));
    const dockerfile = path.join(dir, "backend.Dockerfile");
    fs.writeFileSync(dockerfile, "FROM php:8.2-fpm\n");
    fs.writeFileSync(`${dockerfile}.dockerignore`, ".env\n.env.*\n.git\n");
    const run = await runStack("local", { [`${NS}:backendDockerfile`]: dockerfile });
    const [backend, nginx] = ["backend-image", "nginx-image"].map((n) => run.ofType(T.image).find((i) => i.name.endsWith(n))!);
    expect(backend.inputs.build.dockerfile).toBe(dockerfile);
    expect(nginx.inputs.build.dockerfile).toBe("templates/nginx/Dockerfile");
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
