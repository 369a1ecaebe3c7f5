import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { DatabaseRecord } from '../../src/databases/database-records.js';
import { LifecycleEngine } from '../../src/databases/lifecycle.js';
import type { Provisioner, ProvisionStep } from '../../src/databases/provisioner.js';
import { ErrorIds } from '../../src/kernel/errors.js';
import { call, expectError, startServer, settle, type TestServer } from '../support/server.js';
import { eventually } from '../support/polling.js';
import { setStoreReadOnly } from '../support/store-faults.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A data plane that counts the steps it is asked for and, while `held`, keeps each one running until released. */
function heldProvisioner() {
  const performed: string[] = [];
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const provisioner: Provisioner = {
    durationMs: () => 0,
    perform: async (step: ProvisionStep, database: DatabaseRecord) => {
      performed.push(`${database.id}:${step.target}`);
      await released;
      return undefined;
    },
  };
  return { provisioner, performed, release };
}

function countingProvisioner(performed: string[]): Provisioner {
  return {
    durationMs: () => 0,
    perform: async (step, database) => void performed.push(`${database.id}:${step.target}`),
  };
}

async function createDatabase(server: TestServer, name: string): Promise<string> {
  const created = await call(server, 'POST', '/v2/databases', {
    token: server.adminToken,
    body: { name, cloudProvider: 'GCP', region: 'us-east1' },
  });
  expect(created.status).toBe(201);
  return created.headers.get('location')!;
}

describe('the lifecycle engine under faults', () => {
  it('renews its claim while a step runs longer than the claim, so no other runner performs it again', async () => {
    const held = heldProvisioner();
    const server = await startServer({ provisioner: held.provisioner, backgroundLifecycle: true });
    try {
      const id = await createDatabase(server, 'long-step');
      await eventually(() => held.performed.length === 1, 'the step to start');
      // Far past any claim the runner took when it started.
      server.clock.advance(10 * 60_000);
      const claimHeld = async () => {
        const job = await server.app.store.db
          .selectFrom('lifecycle_jobs')
          .select('claimed_until')
          .where('database_id', '=', id)
          .executeTakeFirst();
        return job?.claimed_until != null && job.claimed_until > server.clock.now().toISOString();
      };
      await eventually(claimHeld, 'the claim to be renewed');

      const rivalSteps: string[] = [];
      const rival = new LifecycleEngine({
        db: server.app.store.db,
        provisioner: countingProvisioner(rivalSteps),
        clock: server.clock,
        log: quiet,
      });
      await rival.runDue();
      expect(rivalSteps).toEqual([]);

      held.release();
      await settle(server, server.adminToken, id, 'ACTIVE');
      expect(held.performed.filter((step) => step === held.performed[0])).toHaveLength(1);
    } finally {
      held.release();
      await server.close();
    }
  });

  it('picks up the step of a runner that stopped renewing within seconds, not half a minute', async () => {
    const steps: string[] = [];
    const server = await startServer({ provisioner: countingProvisioner(steps) });
    const held = heldProvisioner();
    // A runner whose clock stands still renews nothing past the moment it claimed: to the others it has crashed.
    const crashed = new LifecycleEngine({
      db: server.app.store.db,
      provisioner: held.provisioner,
      clock: new ManualClock(server.clock.now()),
      log: quiet,
    });
    try {
      await server.app.services.lifecycle.stop();
      const id = await createDatabase(server, 'orphaned');
      const abandoned = crashed.runDue();
      await eventually(() => held.performed.length === 1, 'the doomed runner to claim the step');

      server.clock.advance(10_000);
      await server.app.services.lifecycle.runDue();
      expect(steps[0]).toBe(held.performed[0]);
      await settle(server, server.adminToken, id, 'ACTIVE');
      held.release();
      await abandoned;
    } finally {
      held.release();
      await server.close();
    }
  });

  it('backs off instead of spinning while the store refuses writes, keeps serving reads, and resumes', async () => {
    const server = await startServer({ provisioningSpeed: 60_000, backgroundLifecycle: true });
    try {
      const id = await createDatabase(server, 'stalled');
      await setStoreReadOnly(server, true);
      server.clock.advance(61_000);
      const failures = () => server.logs.filter((line) => /"msg":"lifecycle (pass|job) failed/.test(line)).length;
      await eventually(() => failures() > 0, 'the first failed pass');
      // A second and a half of real time: a spinning engine logs hundreds of failures in it.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Once per distinct cause (on PostgreSQL the ended sessions, then the read-only transactions).
      expect(failures()).toBeLessThanOrEqual(3);

      expect((await call(server, 'GET', `/v2/databases/${id}`, { token: server.adminToken })).body.status).toBe(
        'PENDING',
      );
      const refused = await call(server, 'POST', '/v2/databases', {
        token: server.adminToken,
        body: { name: 'refused', cloudProvider: 'GCP', region: 'us-east1' },
      });
      expectError(refused, 503, ErrorIds.unavailable);
      expect((await call(server, 'GET', '/ready')).status).toBe(503);

      await setStoreReadOnly(server, false);
      await settle(server, server.adminToken, id, 'INITIALIZING');
      server.clock.advance(61_000);
      await settle(server, server.adminToken, id, 'ACTIVE');
      await eventually(async () => (await call(server, 'GET', '/ready')).status === 200, '/ready to recover');
    } finally {
      await server.close();
    }
  });
});
