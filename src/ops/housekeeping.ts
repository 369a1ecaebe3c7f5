import type { FastifyBaseLogger } from 'fastify';

/** One kind of old data to delete; returns how many rows or objects went. */
export type PurgeTask = (now: Date) => Promise<number>;

/**
 * Keeps the store from growing without bound: runs each purge task at start and then at an interval.
 * A failed run is logged and retried at the next interval; requests are never held up by it.
 */
export class Housekeeping {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly tasks: Record<string, PurgeTask>,
    private readonly now: () => Date,
    private readonly log: Pick<FastifyBaseLogger, 'info' | 'error'>,
  ) {}

  start(everyMs = 60 * 60_000): void {
    const run = () => {
      this.#running = this.runOnce().catch((error: unknown) =>
        this.log.error({ err: error }, 'housekeeping failed; it runs again later'),
      );
    };
    run();
    this.#timer = setInterval(run, everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Runs every task once; returns how much each removed. */
  async runOnce(): Promise<Record<string, number>> {
    const removed: Record<string, number> = {};
    for (const [name, task] of Object.entries(this.tasks)) removed[name] = await task(this.now());
    if (Object.values(removed).some((count) => count > 0)) this.log.info({ removed }, 'purged old data');
    return removed;
  }
}
