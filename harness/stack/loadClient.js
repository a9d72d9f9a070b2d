// The back-to-back client's loop, run in a worker thread (harness/stack/load.ts): the test's own
// thread runs the program and the stand-in engine, whose synchronous stretches (loading the SDK
// and the program for each run) would otherwise hold a finished response back until the client's
// timeout fired, and count a request the stack answered in time as failed. Plain JavaScript, so
// the worker needs no TypeScript loader.
const { parentPort, workerData } = require("node:worker_threads");

const { urls, timeoutMs, started } = workerData;
let running = true;
parentPort.on("message", (m) => {
  if (m === "stop") running = false;
});

(async () => {
  for (let i = 0; running; i++) {
    const url = urls[i % urls.length];
    const at = Date.now() - started;
    const result = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
      .then(async (r) => {
        const body = await r.json().catch(() => undefined);
        return { at, url, status: r.status, ms: Date.now() - started - at, body };
      })
      .catch((e) => ({ at, url, status: 0, ms: Date.now() - started - at, error: e.message }));
    parentPort.postMessage(result);
    // Let the "stop" message in between two requests.
    await new Promise((resolve) => setImmediate(resolve));
  }
  parentPort.postMessage("done");
})();
