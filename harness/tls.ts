/**
 * Self-signed certificates made with Debian's openssl, for the tests: the edge serves them and
 * `curl --cacert` (given the certificate in a file of the test's) trusts them.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface TestCertificate {
  /** PEM certificate (its own CA). */
  readonly certificate: string;
  /** PEM private key. */
  readonly key: string;
}

/** A certificate for `hosts` (DNS names and IP addresses), valid for `days`, with a P-256 or RSA key. */
export function selfSignedCertificate(hosts: readonly string[], days = 2, keyType: "ec" | "rsa" = "ec"): TestCertificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tls-"));
  const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(",");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", ...(keyType === "ec" ? ["ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] : ["rsa:2048"]), "-nodes",
    "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    "-days", String(days), "-subj", `/CN=${hosts[0]}`, "-addext", `subjectAltName=${san}`,
  ], { stdio: "pipe" });
  try {
    return { certificate: fs.readFileSync(path.join(dir, "cert.pem"), "utf8"), key: fs.readFileSync(path.join(dir, "key.pem"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
