/** The real nginx, run on rendered configs from a scratch prefix directory. */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/**
 * Writes `<dir>/nginx.conf`: a minimal main config whose http block holds `body` (a site as the
 * images' conf.d would include it), with every temp path and the pid file inside `dir`.
 */
export function writeMainConfig(dir: string, body: string, errorLog = "stderr"): string {
  const conf = path.join(dir, "nginx.conf");
  fs.writeFileSync(conf, `pid ${dir}/nginx.pid;\nerror_log ${errorLog};\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n` +
    `  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};\n${body}\n}\n`);
  return conf;
}

/** `nginx -t` on `<dir>/nginx.conf`; throws with nginx's message when the config is refused. */
export function nginxTest(dir: string): string {
  return execFileSync("nginx", ["-t", "-p", dir, "-c", path.join(dir, "nginx.conf")], { encoding: "utf8", stdio: "pipe" });
}

export interface RunningNginx {
  /** Its prefix directory (config, pid file, error log, temp files). */
  readonly dir: string;
  /** The error log so far: why a request failed, when a test needs to say. */
  errors(): string;
  /** Stops it (by its own pid) and removes its directory. */
  stop(): void;
}

/**
 * The real nginx started in the background on `body` (one or more servers and maps, as in
 * `writeMainConfig`); its listening sockets are bound when this returns.
 */
export function startNginx(dir: string, body: string): RunningNginx {
  const conf = writeMainConfig(dir, body, path.join(dir, "error.log"));
  // The master daemonizes: it must not hold a pipe the test waits on.
  execFileSync("nginx", ["-p", dir, "-c", conf], { stdio: "ignore" });
  return {
    dir,
    errors: () => fs.readFileSync(path.join(dir, "error.log"), "utf8"),
    stop: () => {
      process.kill(Number(fs.readFileSync(path.join(dir, "nginx.pid"), "utf8")), "SIGQUIT");
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
