import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToExit, spawnServer } from '../support/process.js';
import { call, randomToken } from '../support/server.js';
import { STORE, freshStore, type TestStore } from '../support/stores.js';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

function storeEnv(store: TestStore, dataDir = store.dataDir): Record<string, string> {
  return { ORRERY_DATA_DIR: dataDir, ...(store.databaseUrl ? { ORRERY_DATABASE_URL: store.databaseUrl } : {}) };
}

/** A start-up failure names what is wrong in one message, without a stack trace. */
function expectPlainRefusal(result: { code: number | null; output: string }, message: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.output).toMatch(message);
  expect(result.output).not.toMatch(/^\s+at /m);
}

// Several server processes start one after another in each test; under load each takes seconds.
describe('local files and the server key', { timeout: 240_000 }, () => {
  it('creates the data directory 0700 and every file in it 0600', async () => {
    const store = await freshStore();
    const dataDir = path.join(store.dataDir, 'fresh');
    const server = await spawnServer(storeEnv(store, dataDir));
    // Let the store write its journal files before looking.
    expect((await call(server, 'GET', '/ready')).status).toBe(200);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dataDir);
    expect(files).toContain('secret-key');
    if (STORE === 'sqlite')
      expect(files).toEqual(
        expect.arrayContaining(['orrery.sqlite', 'orrery.sqlite-wal', 'orrery.sqlite-shm', 'orrery.lock']),
      );
    for (const file of files) expect([file, statSync(path.join(dataDir, file)).mode & 0o777]).toEqual([file, 0o600]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it.runIf(STORE === 'sqlite')(
    'refuses a second server process on the same data directory, and frees it when the first stops',
    async () => {
      const store = await freshStore();
      const first = await spawnServer(storeEnv(store));
      const second = await runToExit({ ...storeEnv(store), ORRERY_PORT: '0' });
      expectPlainRefusal(
        second,
        new RegExp(`another Orrery process \\(pid ${first.child.pid}\\) is using the data directory ${store.dataDir}`),
      );
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      const third = await spawnServer(storeEnv(store));
      third.child.kill('SIGTERM');
      expect(await third.exited).toBe(0);
    },
  );

  it('refuses to start with a server key that does not match the store', async () => {
    const store = await freshStore();
    const token = randomToken();
    const first = await spawnServer({ ...storeEnv(store), ORRERY_SECRET_KEY: KEY_A, ORRERY_BOOTSTRAP_TOKEN: token });
    if (STORE === 'postgres') {
      // A second process on the same PostgreSQL with another key, while the first runs.
      const other = await freshStore();
      const second = await runToExit({ ...storeEnv(store, other.dataDir), ORRERY_SECRET_KEY: KEY_B, ORRERY_PORT: '0' });
      expectPlainRefusal(second, /server key does not match the one this store was first started with/);
    }
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const restarted = await runToExit({ ...storeEnv(store), ORRERY_SECRET_KEY: KEY_B, ORRERY_PORT: '0' });
    expectPlainRefusal(
      restarted,
      /server key does not match the one this store was first started with.*ORRERY_SECRET_KEY/,
    );
    // Without any configured key, the key file the data directory never had is not the store's key either.
    const withoutKey = await runToExit({ ...storeEnv(store), ORRERY_PORT: '0' });
    expectPlainRefusal(withoutKey, /server key does not match/);

    const original = await spawnServer({ ...storeEnv(store), ORRERY_SECRET_KEY: KEY_A });
    expect((await call(original, 'GET', '/v2/currentOrg', { token })).status).toBe(200);
    original.child.kill('SIGTERM');
    expect(await original.exited).toBe(0);
  });
});

describe.runIf(STORE === 'sqlite')('start-up errors name what is wrong', { timeout: 120_000 }, () => {
  it.each([
    [
      'a missing regions file',
      () => '/nonexistent/regions.json',
      /regions file \/nonexistent\/regions\.json .*cannot be read \(ENOENT\)/,
    ],
    [
      'a regions file that is not JSON',
      (dir: string) => {
        const file = path.join(dir, 'regions.json');
        writeFileSync(file, '[{"cloudProvider": "AWS",');
        return file;
      },
      /regions file .*regions\.json .*is not valid JSON/,
    ],
  ])('refuses %s', async (_label, regionsFile, message) => {
    const store = await freshStore();
    expectPlainRefusal(
      await runToExit({ ...storeEnv(store), ORRERY_PORT: '0', ORRERY_REGIONS_FILE: regionsFile(store.dataDir) }),
      message,
    );
  });

  it('refuses a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const store = await freshStore();
      expectPlainRefusal(
        await runToExit({ ...storeEnv(store), ORRERY_PORT: String(port) }),
        new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`),
      );
    } finally {
      blocker.close();
    }
  });

  it('waits for an unreachable PostgreSQL, saying so, then gives up naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    blocker.close();
    const store = await freshStore();
    const result = await runToExit({
      ORRERY_DATA_DIR: store.dataDir,
      ORRERY_DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/orrery`,
      ORRERY_STORE_WAIT: '2',
    });
    expect(result.output).toMatch(
      new RegExp(`the store at postgres://127\\.0\\.0\\.1:${port}/orrery is unreachable; retrying`),
    );
    expectPlainRefusal(
      result,
      new RegExp(
        `cannot start: the store at postgres://127\\.0\\.0\\.1:${port}/orrery is unreachable \\(ECONNREFUSED.*gave up after 2 s`,
      ),
    );
    expect(result.output).not.toContain('u:p@');
  });
});
