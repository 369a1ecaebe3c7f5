import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorIds } from '../../src/kernel/errors.js';
import { POSTGRES_CACHE_MAX_AGE_MS } from '../../src/store/cache-notifications.js';
import { DedicatedPostgres } from '../support/dedicated-postgres.js';
import { expectDiskFullHandled } from '../support/disk-full.js';
import { CAN_MOUNT, SmallFilesystem } from '../support/small-filesystem.js';
import { startProcess } from '../support/process.js';
import { call, expectError, randomToken, startServer } from '../support/server.js';
import { STORE } from '../support/stores.js';
import { eventually } from '../support/polling.js';

function userInfoOf(name: string): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', name], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' })),
  };
}

describe.runIf(STORE === 'postgres')('PostgreSQL faults', { timeout: 180_000 }, () => {
  let postgres: DedicatedPostgres;
  let databases = 0;
  beforeAll(async () => {
    postgres = await DedicatedPostgres.start();
  });
  afterAll(() => postgres?.close());

  async function freshDatabase() {
    const name = `faults_${++databases}`;
    await postgres.query(`CREATE DATABASE ${name}`);
    return { dataDir: mkdtempSync(path.join(os.tmpdir(), 'orrery-test-')), databaseUrl: `${postgres.url}/${name}` };
  }

  it('survives a PostgreSQL restart: 503 and not ready while it is down, then resumes by itself', async () => {
    const server = await startServer({ store: await freshDatabase(), storeTimeoutMs: 1_000 });
    try {
      expect((await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken })).status).toBe(200);
      await postgres.stop();

      expectError(await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken }), 503, ErrorIds.unavailable);
      expectError(
        await call(server, 'POST', '/v2/tokens', { token: server.adminToken, body: { roles: [] } }),
        503,
        ErrorIds.unavailable,
      );
      expectError(await call(server, 'GET', '/ready'), 503, ErrorIds.unavailable);
      expect(server.logs.join('')).toMatch(/"msg":"store fault"/);

      await postgres.restart();
      await eventually(
        async () => (await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken })).status === 200,
        'service to resume',
      );
      expect((await call(server, 'GET', '/ready')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('fails requests in bounded time while PostgreSQL hangs, and recovers when it answers again', async () => {
    const server = await startServer({ store: await freshDatabase(), storeTimeoutMs: 1_000 });
    try {
      expect((await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken })).status).toBe(200);
      postgres.freeze(true);
      // Past the cache's staleness bound, so that the credential must be read from the hung store again.
      server.clock.advance(POSTGRES_CACHE_MAX_AGE_MS + 1);
      try {
        const started = Date.now();
        const [read, ready] = await Promise.all([
          call(server, 'GET', '/v2/currentOrg', { token: server.adminToken }),
          call(server, 'GET', '/ready'),
        ]);
        expectError(read, 503, ErrorIds.unavailable);
        expectError(ready, 503, ErrorIds.unavailable);
        expect(Date.now() - started).toBeLessThan(8_000);
      } finally {
        postgres.freeze(false);
      }
      await eventually(
        async () => (await call(server, 'GET', '/v2/currentOrg', { token: server.adminToken })).status === 200,
        'service to resume',
      );
    } finally {
      await server.close();
    }
  });

  it.runIf(CAN_MOUNT)(
    'answers writes with 507 when its disk is full, reports not ready, and recovers when space returns',
    async () => {
      // The database lives in a tablespace on a small file system; PostgreSQL's own files and journal stay where they were.
      const disk = SmallFilesystem.mount(24);
      try {
        const location = path.join(disk.dir, 'tablespace');
        mkdirSync(location);
        const postgresUser = userInfoOf('postgres');
        chownSync(disk.dir, postgresUser.uid, postgresUser.gid);
        chownSync(location, postgresUser.uid, postgresUser.gid);
        await postgres.query(`CREATE TABLESPACE small LOCATION '${location}'`);
        await postgres.query('CREATE DATABASE on_small_disk TABLESPACE small');
        const store = {
          dataDir: mkdtempSync(path.join(os.tmpdir(), 'orrery-test-')),
          databaseUrl: `${postgres.url}/on_small_disk`,
        };
        const server = await startServer({ store, storeTimeoutMs: 5_000 });
        try {
          await expectDiskFullHandled(server, disk, /53100|could not extend file/);
        } finally {
          await server.close();
          await postgres.query('DROP DATABASE on_small_disk');
          await postgres.query('DROP TABLESPACE small');
        }
      } finally {
        disk.unmount();
      }
    },
  );

  it('waits for PostgreSQL at start, saying so, and serves once it is up', async () => {
    const store = await freshDatabase();
    await postgres.stop();
    const token = randomToken();
    const starting = startProcess({
      ORRERY_DATA_DIR: store.dataDir,
      ORRERY_DATABASE_URL: store.databaseUrl,
      ORRERY_BOOTSTRAP_TOKEN: token,
      ORRERY_STORE_WAIT: '60',
    });
    const retrying = /"msg":"the store at postgres:\/\/127\.0\.0\.1:\d+\/faults_\d+ is unreachable; retrying"/;
    await eventually(() => retrying.test(starting.output()), 'the server to say it waits', { timeoutMs: 30_000 });
    await postgres.restart();
    const server = await starting.listening;
    try {
      expect((await call(server, 'GET', '/v2/currentOrg', { token })).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
