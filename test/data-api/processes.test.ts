import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { call, randomToken } from '../support/server.js';
import { STORE, freshStore, type TestStore } from '../support/stores.js';
import { command } from './support.js';

const KEYSPACE = 'default_keyspace';

describe('the Data API served by orrery serve processes', () => {
  const token = randomToken();
  const running: ServerProcess[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  });

  async function serve(store: TestStore, dataDir = store.dataDir): Promise<ServerProcess> {
    const server = await spawnServer({
      ORRERY_DATA_DIR: dataDir,
      ...(store.databaseUrl ? { ORRERY_DATABASE_URL: store.databaseUrl } : {}),
      ORRERY_BOOTSTRAP_TOKEN: token,
      ORRERY_SECRET_KEY: 'cd'.repeat(32),
      ORRERY_PROVISIONING_SPEED: 'immediate',
      ORRERY_LOG_LEVEL: 'warn',
    });
    running.push(server);
    return server;
  }

  async function kill(server: ServerProcess): Promise<void> {
    server.child.kill('SIGKILL');
    await server.exited;
    running.splice(running.indexOf(server), 1);
  }

  /** Creates a database with a collection `docs`; returns the collection's path-form address. */
  async function collection(server: ServerProcess): Promise<string> {
    const created = await call(server, 'POST', '/v2/databases', {
      token,
      body: { name: 'shared', cloudProvider: 'GCP', region: 'us-east1' },
    });
    expect(created.status).toBe(201);
    const id = created.headers.get('location')!;
    const deadline = Date.now() + 30_000;
    while ((await call(server, 'GET', `/v2/databases/${id}`, { token })).body.status !== 'ACTIVE') {
      if (Date.now() > deadline) throw new Error('the database never became ACTIVE');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const keyspace = `/data/${id}-us-east1/api/json/v1/${KEYSPACE}`;
    expect((await command(server, keyspace, { createCollection: { name: 'docs' } }, token)).body.status).toEqual({
      ok: 1,
    });
    return `${keyspace}/docs`;
  }

  /** Every _id in the collection, read page by page through one server. */
  async function allIds(server: ServerProcess, path: string): Promise<Set<string>> {
    const ids = new Set<string>();
    let pageState: string | null = null;
    do {
      const response = await command(
        server,
        path,
        { find: { projection: { _id: 1 }, ...(pageState ? { options: { pageState } } : {}) } },
        token,
      );
      for (const doc of response.body.data.documents as { _id: string }[]) ids.add(doc._id);
      pageState = response.body.data.nextPageState as string | null;
    } while (pageState);
    return ids;
  }

  /** Inserts documents through each server until stopped; returns the ids each server acknowledged. */
  function writeUntilStopped(servers: ServerProcess[], path: string) {
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (server: ServerProcess, name: string) => {
      for (let n = 0; !stop; n++) {
        const _id = `${name}-${n}`;
        try {
          const response = await command(server, path, { insertOne: { document: { _id, by: name } } }, token);
          if (response.body.status?.insertedIds?.[0] === _id) acknowledged.push(_id);
        } catch {
          return; // the connection died with the process
        }
      }
    };
    const writers = servers.flatMap((server, i) => [0, 1, 2, 3].map((w) => writer(server, `s${i}w${w}`)));
    return {
      acknowledged,
      stop: async () => {
        stop = true;
        await Promise.all(writers);
      },
    };
  }

  async function until(check: () => boolean): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('the writers did not get far enough');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('loses no acknowledged document when the process is killed with SIGKILL mid-load', async () => {
    const store = await freshStore();
    const server = await serve(store);
    const docs = await collection(server);
    const load = writeUntilStopped([server], docs);
    await until(() => load.acknowledged.length >= 150);
    await kill(server);
    await load.stop();

    const restarted = await serve(store);
    const stored = await allIds(restarted, docs);
    expect(load.acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  }, 120_000);

  it.runIf(STORE === 'postgres')(
    'serves the same data from two processes on one PostgreSQL, writing through either, across a SIGKILL of one',
    async () => {
      const store = await freshStore();
      const first = await serve(store);
      let second = await serve(store, `${store.dataDir}-second`);
      const docs = await collection(first);

      await command(first, docs, { insertOne: { document: { _id: 'via-first' } } }, token);
      expect((await command(second, docs, { findOne: { filter: { _id: 'via-first' } } }, token)).body.data).toEqual({
        document: { _id: 'via-first' },
      });
      await command(second, docs, { insertOne: { document: { _id: 'via-second' } } }, token);
      expect((await command(first, docs, { findOne: { filter: { _id: 'via-second' } } }, token)).body.data).toEqual({
        document: { _id: 'via-second' },
      });

      const load = writeUntilStopped([first, second], docs);
      await until(() => load.acknowledged.filter((id) => id.startsWith('s1')).length >= 100);
      await kill(second);
      await load.stop();
      second = await serve(store, `${store.dataDir}-second`);

      const expected = new Set(['via-first', 'via-second', ...load.acknowledged]);
      for (const server of [first, second]) {
        const stored = await allIds(server, docs);
        expect([...expected].filter((id) => !stored.has(id))).toEqual([]);
        expect(stored.size).toBeGreaterThanOrEqual(expected.size);
      }
      // Both processes took writes, so the test proves sharing rather than one process serving alone.
      expect(load.acknowledged.some((id) => id.startsWith('s0'))).toBe(true);
    },
    180_000,
  );
});
