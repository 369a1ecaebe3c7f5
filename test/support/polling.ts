/**
 * Polls `check` until it returns a truthy value, and resolves to that value; fails naming `what` once
 * `timeoutMs` of real time has passed. Only for what the injected clock does not drive: other processes,
 * real clients and background runners. Time that the code under test reads comes from the ManualClock.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string | (() => string),
  { timeoutMs = 15_000, everyMs = 20 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
