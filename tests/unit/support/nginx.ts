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
