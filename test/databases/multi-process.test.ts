import { describe, expect, it } from 'vitest';
import type { DatabaseRecord } from '../../src/databases/database-records.js';
import { SimulatedProvisioner, type ProvisionStep, type Provisioner } from '../../src/databases/provisioner.js';
import { eventually } from '../support/polling.js';
import { spawnServer } from '../support/process.js';
import { call, randomToken, startServer } from '../support/server.js';
import { STORE, freshStore } from '../support/stores.js';

const COUNT = 200;

/** Counts how often the data plane is asked for each step of each database, across servers. */
function countingProvisioner(counts: Map<string, number>, tally: { steps: number }): Provisioner {
  const inner = new SimulatedProvisioner('immediate', 0);
  return {
    durationMs: (step: ProvisionStep) => inner.durationMs(step),
    perform: async (step: ProvisionStep, db: DatabaseRecord) => {
      const key = `${db.id}:${step.target}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      tally.steps += 1;
      return inner.perform(step, db);
    },
  };
}

/** Two servers moving many databases take a while on a shared machine. */
const WAIT = { timeoutMs: 60_000, everyMs: 50 };

describe.runIf(STORE === 'postgres')('two servers, each running the lifecycle engine, on one PostgreSQL', () => {
  it(`move ${COUNT} databases through create and terminate with every step run exactly once`, async () => {
    const counts = new Map<string, number>();
    const [firstTally, secondTally] = [{ steps: 0 }, { steps: 0 }];
    // Both servers poll the lifecycle on their own, as deployed processes do: that concurrency is what this tests.
    const first = await startServer({
      provisioner: countingProvisioner(counts, firstTally),
      backgroundLifecycle: true,
    });
    const second = await startServer({
      store: first.store,
      bootstrapToken: first.adminToken,
      provisioner: countingProvisioner(counts, secondTally),
      backgroundLifecycle: true,
    });
    const token = first.adminToken;
    const servers = [first, second];

    const ids: string[] = [];
    for (let i = 0; i < COUNT; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          call(servers[(i + j) % 2]!, 'POST', '/v2/databases', {
            token,
            body: { name: `many${i + j}`, cloudProvider: 'GCP', region: 'us-east1' },
          }),
        ),
      );
      for (const response of batch) {
        expect(response.status).toBe(201);
        ids.push(response.headers.get('location')!);
      }
    }
    const countIn = async (status: string) =>
      Number(
        (
          await first.app.store.db
            .selectFrom('databases')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('status', '=', status)
            .executeTakeFirstOrThrow()
        ).n,
      );
    await eventually(async () => (await countIn('ACTIVE')) === COUNT, 'every database to be ACTIVE', WAIT);

    for (let i = 0; i < COUNT; i += 20) {
      const batch = await Promise.all(
        ids.slice(i, i + 20).map((id, j) => call(servers[j % 2]!, 'POST', `/v2/databases/${id}/terminate`, { token })),
      );
      for (const response of batch) expect(response.status).toBe(202);
    }
    await eventually(async () => (await countIn('TERMINATED')) === COUNT, 'every database to be TERMINATED', WAIT);

    expect(counts.size).toBe(COUNT * 3);
    const repeated = [...counts].filter(([, n]) => n !== 1);
    expect(repeated).toEqual([]);
    // Both engines took part; otherwise the test would prove nothing about concurrency.
    expect(firstTally.steps).toBeGreaterThan(0);
    expect(secondTally.steps).toBeGreaterThan(0);
    expect(await first.app.store.db.selectFrom('lifecycle_jobs').selectAll().execute()).toEqual([]);
    await second.close();
    await first.close();
  }, 180_000);
});

describe.runIf(STORE === 'postgres')('two orrery serve processes on one PostgreSQL', () => {
  it(`move ${COUNT} databases through create and terminate, each step applied by exactly one process`, async () => {
    const store = await freshStore();
    const token = randomToken();
    const env = {
      ORRERY_DATABASE_URL: store.databaseUrl!,
      ORRERY_BOOTSTRAP_TOKEN: token,
      ORRERY_SECRET_KEY: 'ab'.repeat(32),
      ORRERY_PROVISIONING_SPEED: 'immediate',
    };
    const processes = [
      await spawnServer({ ...env, ORRERY_DATA_DIR: store.dataDir }),
      await spawnServer({ ...env, ORRERY_DATA_DIR: `${store.dataDir}-second` }),
    ];
    try {
      const servers = processes.map((p) => ({ url: p.url }));
      const ids: string[] = [];
      for (let i = 0; i < COUNT; i += 20) {
        const batch = await Promise.all(
          Array.from({ length: 20 }, (_, j) =>
            call(servers[(i + j) % 2]!, 'POST', '/v2/databases', {
              token,
              body: { name: `proc${i + j}`, cloudProvider: 'GCP', region: 'us-east1' },
            }),
          ),
        );
        for (const response of batch) ids.push(response.headers.get('location')!);
      }
      const statuses = async () =>
        Promise.all(
          ids.map(
            async (id) => (await call(servers[0]!, 'GET', `/v2/databases/${id}`, { token })).body.status as string,
          ),
        );
      await eventually(
        async () => (await statuses()).every((s) => s === 'ACTIVE'),
        'every database to be ACTIVE',
        WAIT,
      );
      for (let i = 0; i < COUNT; i += 20) {
        const batch = await Promise.all(
          ids
            .slice(i, i + 20)
            .map((id, j) => call(servers[j % 2]!, 'POST', `/v2/databases/${id}/terminate`, { token })),
        );
        for (const response of batch) expect(response.status).toBe(202);
      }
      await eventually(
        async () => (await statuses()).every((s) => s === 'TERMINATED'),
        'every database to be TERMINATED',
        WAIT,
      );

      // Each process logs the steps it applied; together they must cover every step exactly once.
      const applied = processes.map((p) =>
        p
          .stdout()
          .split('\n')
          .filter((line) => line.includes('"database status changed"'))
          .map((line) => JSON.parse(line) as { databaseId: string; to: string }),
      );
      const steps = applied.flat().map((entry) => `${entry.databaseId}:${entry.to}`);
      expect(new Set(steps).size).toBe(steps.length);
      expect(steps.length).toBe(COUNT * 3);
      expect(applied[0]!.length).toBeGreaterThan(0);
      expect(applied[1]!.length).toBeGreaterThan(0);
    } finally {
      for (const p of processes) p.child.kill('SIGTERM');
      await Promise.all(processes.map((p) => p.exited));
    }
  }, 240_000);
});
