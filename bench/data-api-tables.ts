import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatToken, generateClientId, generateSecret, secretDigest } from '../src/security/tokens.js';
import { line, load, start } from './load.js';

const ROWS = 100_000;
/** Rows per partition: 5,000 devices of 20 readings. */
const PER_PARTITION = 20;

async function post(url: string, body: unknown, token: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', token, authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok || text.includes('"errors"')) throw new Error(`${url}: ${response.status} ${text.slice(0, 300)}`);
  return response;
}

const reading = (i: number) => ({
  device: `d${Math.floor(i / PER_PARTITION)}`,
  seq: i % PER_PARTITION,
  value: i / 7,
  note: `reading ${i}`,
});

/**
 * Data API tables on the embedded store: a table of 100,000 rows (5,000 partitions of 20), a primary-key
 * findOne and a whole-partition find under the usual 20-connection load, beside a collection's findOne
 * by _id in the same server, the figure the table's point read is meant to match.
 */
export async function benchDataApiTables(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'orrery-tables-'));
  const token = formatToken(generateClientId(), secretDigest(generateSecret()));
  const env = {
    ORRERY_DATA_DIR: dataDir,
    ORRERY_BOOTSTRAP_TOKEN: token,
    ORRERY_LOG_LEVEL: 'warn',
    ORRERY_PROVISIONING_SPEED: 'immediate',
  };
  const server = await start('src/cli.ts', env, ['serve', '--port', '0']);
  try {
    const created = await post(
      `${server.url}/v2/databases`,
      { name: 'bench', cloudProvider: 'GCP', region: 'us-east1' },
      token,
    );
    const keyspace = `${server.url}/data/${created.headers.get('location')!}-us-east1/api/json/v1/default_keyspace`;
    for (let i = 0; i < 100; i++) {
      const found = await fetch(keyspace, {
        method: 'POST',
        headers: { token, 'content-type': 'application/json' },
        body: '{"listTables": {}}',
      });
      if (found.ok && !(await found.text()).includes('errors')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await post(
      keyspace,
      {
        createTable: {
          name: 'readings',
          definition: {
            columns: { device: 'text', seq: 'int', value: 'double', note: 'text' },
            primaryKey: { partitionBy: ['device'], partitionSort: { seq: 1 } },
          },
        },
      },
      token,
    );
    await post(keyspace, { createCollection: { name: 'items' } }, token);
    const readings = `${keyspace}/readings`;
    const items = `${keyspace}/items`;
    await post(items, { insertMany: { documents: [{ _id: 'd5000', n: 1 }] } }, token);

    const started = performance.now();
    const batches = Array.from({ length: ROWS / 100 }, (_, b) => b * 100);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let from = batches.shift(); from !== undefined; from = batches.shift()) {
          const documents = Array.from({ length: 100 }, (_, k) => reading(from + k));
          await post(readings, { insertMany: { documents, options: { ordered: false } } }, token);
        }
      }),
    );
    const rate = (ROWS * 1000) / (performance.now() - started);

    const headers = { token };
    const byId = await load(items, headers, { method: 'POST', body: { findOne: { filter: { _id: 'd5000' } } } });
    const byKey = await load(readings, headers, {
      method: 'POST',
      body: { findOne: { filter: { device: 'd2500', seq: 7 } } },
    });
    const partition = await load(readings, headers, {
      method: 'POST',
      body: { find: { filter: { device: 'd2500' } } },
    });
    console.log(`Data API tables, SQLite (${process.version}):`);
    console.log(`insertMany of ${ROWS} rows: ${rate.toFixed(0)} rows/s`);
    console.log(line('collection findOne by _id', byId));
    console.log(line(`table findOne by key, ${ROWS} rows`, byKey), `ratio ${(byKey.rps / byId.rps).toFixed(2)}`);
    console.log(line(`table partition of ${PER_PARTITION} rows`, partition));
  } finally {
    server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
