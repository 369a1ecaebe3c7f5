import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Database } from '../store/schema.js';
import { DatabaseStore } from './database-store.js';
import type { DatabaseRecord } from './database-records.js';
import { DatacenterStore } from './datacenter-store.js';
import type { Provisioner, StepEffect, StepTarget } from './provisioner.js';

export type { StepEffect };

interface JobPayload {
  to: StepTarget;
  /** The steps after this one, in order. */
  then: StepTarget[];
  effect: StepEffect;
}

/**
 * How long a claim holds without renewal. A runner renews its claim every RENEW_EVERY_MS while the data
 * plane works on a step, so a long step is never taken twice, and a crashed runner's step is free again
 * within a few seconds.
 */
export const CLAIM_MS = 3_000;
const RENEW_EVERY_MS = 1_000;
/** Polling pauses after failed passes: doubling from the first, up to the last. */
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 30_000;
/** A failure with the same cause is logged at most once per this interval, with how often it recurred. */
const FAILURE_LOG_INTERVAL_MS = 60_000;

export interface LifecycleEngineDeps {
  db: Kysely<Database>;
  provisioner: Provisioner;
  clock: Clock;
  log: Pick<FastifyBaseLogger, 'error' | 'info' | 'warn'>;
}

/**
 * Moves databases through their statuses with jobs kept in the store. A request makes the first
 * status change itself and queues the rest; any server process may run a due job. A job is claimed
 * for a while, deleted in the same transaction that applies it, and applied only if the database
 * still has the status it was queued for, so a step's status change is applied once even across restarts
 * and processes. The provisioner's work for a step may run again when a claim expires before it finishes.
 */
export class LifecycleEngine {
  readonly #owner = randomUUID();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  readonly #failures = new FailureLog(FAILURE_LOG_INTERVAL_MS);

  constructor(private readonly deps: LifecycleEngineDeps) {}

  /** Queues the steps of a transition, inside the caller's transaction. */
  async schedule(
    trx: Kysely<Database>,
    database: DatabaseRecord,
    fromStatus: string,
    steps: StepTarget[],
    effect: StepEffect = {},
  ): Promise<void> {
    const [to, ...then] = steps;
    if (!to) return;
    const runAt = new Date(
      this.deps.clock.now().getTime() +
        this.deps.provisioner.durationMs({ target: to, effect, last: then.length === 0 }, database),
    ).toISOString();
    const payload: JobPayload = { to, then, effect };
    await trx
      .insertInto('lifecycle_jobs')
      .values({
        id: randomUUID(),
        database_id: database.id,
        step: to,
        from_status: fromStatus,
        run_at: runAt,
        claimed_by: null,
        claimed_until: null,
        payload: JSON.stringify(payload),
      })
      .execute();
  }

  async cancel(trx: Kysely<Database>, databaseId: string): Promise<void> {
    await trx.deleteFrom('lifecycle_jobs').where('database_id', '=', databaseId).execute();
  }

  /** Makes a database's pending step due now and runs it; false when it has no step pending. */
  async advance(databaseId: string): Promise<boolean> {
    const updated = await this.deps.db
      .updateTable('lifecycle_jobs')
      .set({ run_at: this.deps.clock.now().toISOString() })
      .where('database_id', '=', databaseId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await this.runDue();
    return true;
  }

  /** Sets a database's status outright, dropping its pending steps: to test how clients handle ERROR and the like. */
  async force(databaseId: string, status: string): Promise<boolean> {
    return this.deps.db.transaction().execute(async (trx) => {
      const store = new DatabaseStore(trx);
      const current = await store.findById(databaseId);
      if (!current) return false;
      await this.cancel(trx, databaseId);
      await store.changeStatus(databaseId, [current.status], { to: status }, this.deps.clock.now().toISOString());
      this.deps.log.info({ databaseId, from: current.status, to: status }, 'database status forced');
      return true;
    });
  }

  /** Queued steps, and those more than five seconds past due (a sign no process is running them). */
  async queued(): Promise<{ pending: number; overdue: number }> {
    const late = new Date(this.deps.clock.now().getTime() - 5000).toISOString();
    const row = await this.deps.db
      .selectFrom('lifecycle_jobs')
      .select((eb) => [
        eb.fn.countAll<number>().as('pending'),
        eb.fn.sum<number>(eb.case().when('run_at', '<', late).then(1).else(0).end()).as('overdue'),
      ])
      .executeTakeFirstOrThrow();
    return { pending: Number(row.pending), overdue: Number(row.overdue ?? 0) };
  }

  /**
   * Polls for due jobs every pollMs. When a pass fails (the store unreachable, full or read-only), the
   * next waits twice as long as the last, up to BACKOFF_MAX_MS, so that a store fault costs neither CPU
   * nor log space, and requests keep being served meanwhile.
   */
  start(pollMs = 25): void {
    this.#stopped = false;
    let pauseMs = pollMs;
    const poll = async () => {
      try {
        await this.runDue();
        if (pauseMs !== pollMs) this.deps.log.info('lifecycle engine resumed');
        pauseMs = pollMs;
      } catch (error) {
        pauseMs = pauseMs === pollMs ? BACKOFF_FIRST_MS : Math.min(pauseMs * 2, BACKOFF_MAX_MS);
        this.#failures.report(error, this.deps.clock.now().getTime(), (repeats) =>
          this.deps.log.error({ err: error, repeats, retryInMs: pauseMs }, 'lifecycle pass failed; backing off'),
        );
      }
      if (!this.#stopped) {
        this.#timer = setTimeout(() => void poll(), pauseMs);
        this.#timer.unref();
      }
    };
    this.#timer = setTimeout(() => void poll(), pollMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => {});
  }

  /** Runs every job that is due now. Runs never overlap; a call made during one waits for it and then looks again. */
  async runDue(): Promise<void> {
    while (this.#running) await this.#running.catch(() => {});
    this.#running = this.#runDue().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #runDue(): Promise<void> {
    for (;;) {
      const now = this.deps.clock.now().toISOString();
      const due = await this.deps.db
        .selectFrom('lifecycle_jobs')
        .select(['id'])
        .where('run_at', '<=', now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .orderBy('run_at')
        .limit(50)
        .execute();
      if (due.length === 0) return;
      // A failing job ends the pass: the failure is most likely the store's, and looking again at once
      // would spin on it. The caller backs off; the job is retried when its claim expires.
      for (const { id } of due) await this.#runJob(id);
    }
  }

  async #runJob(jobId: string): Promise<void> {
    const now = this.deps.clock.now();
    const claimed = await this.deps.db
      .updateTable('lifecycle_jobs')
      .set({ claimed_by: this.#owner, claimed_until: this.#claimUntil() })
      .where('id', '=', jobId)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now.toISOString())]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return;

    const job = await this.deps.db.selectFrom('lifecycle_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    if (!job) return;
    const payload = JSON.parse(job.payload) as JobPayload;
    const database = await new DatabaseStore(this.deps.db).findById(job.database_id);
    const failure =
      database && database.status === job.from_status
        ? await this.#holdingClaim(jobId, () =>
            this.deps.provisioner.perform(
              { target: payload.to, effect: payload.effect, last: payload.then.length === 0 },
              database,
            ),
          )
        : undefined;

    const applied = await this.deps.db.transaction().execute(async (trx) => {
      // Deleting our claimed job first makes the step ours alone: a second runner finds nothing to delete.
      const removed = await trx
        .deleteFrom('lifecycle_jobs')
        .where('id', '=', jobId)
        .where('claimed_by', '=', this.#owner)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) !== 1) return undefined;
      const store = new DatabaseStore(trx);
      const current = await store.findById(job.database_id);
      if (!current || current.status !== job.from_status) return undefined;
      const at = this.deps.clock.now().toISOString();
      if (failure) {
        await store.changeStatus(current.id, [job.from_status], { to: 'ERROR', message: failure }, at);
        return 'ERROR';
      }
      const last = payload.then.length === 0;
      await store.changeStatus(
        current.id,
        [job.from_status],
        { to: payload.to, ...(last ? finalChange(current, payload.effect, payload.to, at) : {}) },
        at,
      );
      if (last) await settleDatacenters(new DatacenterStore(trx), current, payload.effect, payload.to, at);
      else await this.schedule(trx, { ...current, status: payload.to }, payload.to, payload.then, payload.effect);
      return payload.to;
    });
    if (applied)
      this.deps.log.info(
        { databaseId: job.database_id, from: job.from_status, to: applied },
        'database status changed',
      );
  }

  #claimUntil(): string {
    return new Date(this.deps.clock.now().getTime() + CLAIM_MS).toISOString();
  }

  /** Runs the data plane's work while renewing this runner's claim on the job, so that no other runner takes it meanwhile. */
  async #holdingClaim<T>(jobId: string, work: () => Promise<T>): Promise<T> {
    let renewal: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      renewal = this.deps.db
        .updateTable('lifecycle_jobs')
        .set({ claimed_until: this.#claimUntil() })
        .where('id', '=', jobId)
        .where('claimed_by', '=', this.#owner)
        .execute()
        // A missed renewal is harmless while the next succeeds; if the claim is lost, applying the step finds that out.
        .catch((error: unknown) =>
          this.#failures.report(error, this.deps.clock.now().getTime(), (repeats) =>
            this.deps.log.warn({ err: error, repeats, jobId }, 'could not renew a lifecycle claim'),
          ),
        );
    }, RENEW_EVERY_MS);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      await renewal;
    }
  }
}

/** Remembers when each distinct failure (by its code and message) was last logged. */
class FailureLog {
  readonly #lastLogged = new Map<string, { at: number; repeats: number }>();

  constructor(private readonly intervalMs: number) {}

  report(error: unknown, now: number, log: (repeatsSinceLast: number) => void): void {
    const key =
      error instanceof Error ? `${String((error as { code?: unknown }).code)}:${error.message}` : String(error);
    const seen = this.#lastLogged.get(key);
    if (seen && now - seen.at < this.intervalMs) {
      seen.repeats += 1;
      return;
    }
    if (this.#lastLogged.size > 100) this.#lastLogged.clear();
    this.#lastLogged.set(key, { at: now, repeats: 0 });
    log(seen?.repeats ?? 0);
  }
}

function finalChange(database: DatabaseRecord, effect: StepEffect, to: StepTarget, at: string) {
  let keyspaces = database.keyspaces;
  if (effect.addKeyspace && !keyspaces.includes(effect.addKeyspace)) keyspaces = [...keyspaces, effect.addKeyspace];
  if (effect.dropKeyspace) keyspaces = keyspaces.filter((k) => k !== effect.dropKeyspace);
  return {
    keyspaces,
    ...(effect.capacityUnits !== undefined ? { capacityUnits: effect.capacityUnits } : {}),
    ...(to === 'TERMINATED' ? { terminatedAt: at } : {}),
  };
}

async function settleDatacenters(
  store: DatacenterStore,
  database: DatabaseRecord,
  effect: StepEffect,
  to: StepTarget,
  at: string,
): Promise<void> {
  if (to === 'TERMINATED') {
    await store.setStatus(
      database.datacenters.filter((dc) => dc.status !== 'TERMINATED').map((dc) => dc.id),
      'TERMINATED',
      at,
    );
    return;
  }
  await store.setStatus(effect.addDatacenters ?? [], 'ACTIVE', at);
  if (effect.terminateDatacenter) await store.setStatus([effect.terminateDatacenter], 'TERMINATED', at);
  if (effect.capacityUnits !== undefined) await store.setCapacity(database.id, effect.capacityUnits);
}
