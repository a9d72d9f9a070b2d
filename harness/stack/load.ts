/** A back-to-back client: one GET after another, over the given URLs in turn, until stopped. */

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

export function backToBack(urls: readonly string[], timeoutMs = 5000) {
  const started = Date.now();
  const results: LoadResult[] = [];
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const url = urls[i % urls.length];
      const at = Date.now() - started;
      await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
        .then(async (r) => {
          const body = await r.json().catch(() => undefined);
          results.push({ at, url, status: r.status, ms: Date.now() - started - at, body });
        })
        .catch((e: Error) => results.push({ at, url, status: 0, ms: Date.now() - started - at, error: e.message }));
    }
  })();
  return {
    results,
    started,
    async stop(): Promise<LoadResult[]> {
      running = false;
      await done;
      return results;
    },
  };
}

export const failures = (results: readonly LoadResult[]) => results.filter((r) => r.status !== 200);
