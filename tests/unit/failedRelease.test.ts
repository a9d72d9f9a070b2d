/**
 * A release whose check or migration fails stops the program: the error carries the container's
 * output, and no release container is declared (so none of the running ones is replaced).
 */
import { settled } from "../../harness/engine/dockerEngineMocks";
import { loadStackConfig, runProgram } from "../../harness/program";
import { RecordingMocks } from "./support/recordingMocks";
import { role } from "./support/resources";

/** Mocks whose migration container exits 1 with a log. */
class FailingMigration extends RecordingMocks {
  newResource(args: Parameters<RecordingMocks["newResource"]>[0]) {
    const result = super.newResource(args);
    if (args.type === "docker:index/container:Container" && args.name.endsWith("-migrate")) {
      return { ...result, state: { ...result.state, exitCode: 1, containerLogs: "release check: cache failed: Error: Class \"Redis\" not found" } };
    }
    return result;
  }
}

test("a failed release check fails the update with its output, before any release container", async () => {
  const mocks = new FailingMigration();
  const run = runProgram({
    stack: "local", config: loadStackConfig("local"), secrets: {}, mocks,
    settle: (out) => Promise.race([settled(out), mocks.refused]),
  });
  await expect(run).rejects.toThrow(/release v1\.0\.0 exited with 1; the release was not started\.\nrelease check: cache failed: Error: Class "Redis" not found/);
  const roles = mocks.ofType("docker:index/container:Container").map(role);
  expect(roles).toContain("migrate");
  for (const r of ["php-fpm", "app-nginx", "worker", "scheduler"]) expect(roles).not.toContain(r);
}, 60_000);
