/** A back-to-back client: one GET after another, over the given URLs in turn, until stopped. */
import * as path from "path";
import { Worker } from "worker_threads";

export interface LoadResult {
  /** ms since the load started. */
  readonly at: number;
  readonly url: string;
  readonly status: number;
  /** How long it took. */
  readonly ms: number;
  readonly body?: any;
  readonly error?: string;
}

/**
 * Starts the client in a worker thread of its own (loadClient.js), so its timings are the
 * stack's, not those of whatever this thread is busy with; `results` fills as answers arrive.
 */
export function backToBack(urls: readonly string[], timeoutMs = 5000) {
  const started = Date.now();
  const results: LoadResult[] = [];
  const worker = new Worker(path.join(__dirname, "loadClient.js"), { workerData: { urls: [...urls], timeoutMs, started } });
  const done = new Promise<void>((resolve, reject) => {
    worker.on("message", (m: LoadResult | "done") => (m === "done" ? resolve() : results.push(m)));
    worker.on("error", reject);
    worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`load client exited with ${code}`))));
  });
  return {
    results,
    started,
    async stop(): Promise<LoadResult[]> {
      worker.postMessage("stop");
      await done;
      await worker.terminate();
      return results;
    },
  };
}

export const failures = (results: readonly LoadResult[]) => results.filter((r) => r.status !== 200);
