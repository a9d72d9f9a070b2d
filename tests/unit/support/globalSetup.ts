/**
 * Before any unit test: the real config checkers the tests run (nginx, haproxy, Redis) are on
 * PATH, installed by scripts/ensure-test-tools.sh when missing, or the run stops with the command
 * that installs them.
 */
import { execFileSync } from "child_process";
import * as path from "path";

export default function ensureTestTools(): void {
  execFileSync("bash", [path.join(__dirname, "..", "..", "..", "scripts", "ensure-test-tools.sh")], { stdio: "inherit" });
}
