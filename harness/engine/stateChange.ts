/**
 * The Terraform SDK's polling loop, which the docker provider's converge, read and delete waits
 * are built on: terraform-plugin-sdk v2.40.1 helper/retry/state.go, StateChangeConf.WaitForStateContext,
 * and helper/retry/error.go for its errors. Schedule: sleep Delay; refresh at once; then wait
 * 100 ms doubled after every refresh that is not the target, bounded to [MinTimeout, 10 s]. An error
 * from Refresh ends the wait with that error; a state in neither Target nor Pending is an
 * UnexpectedStateError. The Timeout counts from the start (Delay included); a refresh already
 * running when it fires is still taken (the 30 s refresh grace period), otherwise a TimeoutError.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StateChangeConf<T> {
  pending: readonly string[];
  target: readonly string[];
  /** The result (undefined: not found) and its state; throws to end the wait with an error. */
  refresh: () => Promise<{ result: T | undefined; state: string }>;
  timeoutMs: number;
  minTimeoutMs: number;
  delayMs: number;
}

/** Go's time.Duration.String() for whole milliseconds and up (the timeouts here). */
export function goDurationString(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return "0s";
  if (ns < 1e9) return `${Number((ns / 1e6).toFixed(6))}ms`;
  const h = Math.floor(ns / 3600e9);
  const m = Math.floor((ns % 3600e9) / 60e9);
  const s = Number(((ns % 60e9) / 1e9).toFixed(9));
  return `${h > 0 ? `${h}h` : ""}${h > 0 || m > 0 ? `${m}m` : ""}${s}s`;
}

/** error.go, TimeoutError.Error(). */
export class TimeoutError extends Error {
  constructor(target: readonly string[], lastState: string, timeoutMs: number) {
    const extra = [...(lastState ? [`last state: '${lastState}'`] : []), ...(timeoutMs > 0 ? [`timeout: ${goDurationString(timeoutMs)}`] : [])];
    const expected = target.length > 0 ? `state to become '${target.join(", ")}'` : "resource to be gone";
    super(`timeout while waiting for ${expected}${extra.length > 0 ? ` (${extra.join(", ")})` : ""}`);
  }
}

/** error.go, UnexpectedStateError.Error() (Refresh returned no error, so "last error: %!s(<nil>)"). */
export class UnexpectedStateError extends Error {
  constructor(state: string, target: readonly string[]) {
    super(`unexpected state '${state}', wanted target '${target.join(", ")}'. last error: %!s(<nil>)`);
  }
}

/** WaitForStateContext with NotFoundChecks 20 and ContinuousTargetOccurence 1 (the defaults). */
export async function waitForState<T>(conf: StateChangeConf<T>): Promise<T | undefined> {
  const deadline = Date.now() + conf.timeoutMs;
  if (conf.delayMs > conf.timeoutMs) {
    await sleep(conf.timeoutMs);
    throw new TimeoutError(conf.target, "", conf.timeoutMs);
  }
  await sleep(conf.delayMs);
  let wait = 0;
  let lastState = "";
  let notFound = 0;
  for (;;) {
    if (Date.now() + wait > deadline) {
      await sleep(Math.max(0, deadline - Date.now()));
      throw new TimeoutError(conf.target, lastState, conf.timeoutMs);
    }
    await sleep(wait);
    if (wait === 0) wait = 100;
    const { result, state } = await conf.refresh();
    lastState = state;
    if (result === undefined) {
      if (++notFound > 20) throw new Error(`couldn't find resource (${notFound} retries)`);
    } else {
      notFound = 0;
      if (conf.target.includes(state)) return result;
      if (!conf.pending.includes(state) && conf.pending.length > 0) throw new UnexpectedStateError(state, conf.target);
    }
    wait *= 2;
    if (wait < conf.minTimeoutMs) wait = conf.minTimeoutMs;
    else if (wait > 10_000) wait = 10_000;
  }
}
