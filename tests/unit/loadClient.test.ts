/**
 * The e2e tests' back-to-back client measures the stack, not the test's own thread: while that
 * thread is blocked (the stand-in loading the SDK and the program for a run), requests go on and
 * none is counted as failed for an answer that came in time.
 */
import { ChildProcess, spawn } from "child_process";
import { backToBack } from "../../harness/stack/load";

let server: ChildProcess;
let url: string;

beforeAll(async () => {
  const script = "const s=require('http').createServer((q,r)=>{r.setHeader('content-type','application/json');r.end(JSON.stringify({ok:true}))});" +
    "s.listen(0,'127.0.0.1',()=>console.log(s.address().port))";
  server = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve) => server.stdout!.once("data", (d) => resolve(String(d).trim())));
  url = `http://127.0.0.1:${port}/`;
});

afterAll(() => {
  server.kill();
});

/** Blocks this thread like a synchronous stretch of the program would. */
const blockFor = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

test("a blocked test thread neither stalls the requests nor fails them", async () => {
  const load = backToBack([url], 1000);
  await new Promise((r) => setTimeout(r, 200));
  blockFor(3000);
  await new Promise((r) => setTimeout(r, 200));
  const results = await load.stop();
  expect(results.filter((r) => r.status !== 200)).toEqual([]);
  // Requests kept going while the thread was blocked: the longest gap between two is short.
  const gaps = results.slice(1).map((r, i) => r.at - results[i].at);
  expect(Math.max(...gaps)).toBeLessThan(1000);
  expect(results.filter((r) => r.at >= 300 && r.at <= 3000).length).toBeGreaterThan(10);
  expect(results[0].body).toEqual({ ok: true });
});
