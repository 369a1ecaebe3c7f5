import { formatToken, generateClientId, generateSecret, secretDigest } from '../src/security/tokens.js';
import { activeDatabase, post } from './fixtures.js';
import { line, load, start, type Figures } from './load.js';
import { ratio, type BenchStore } from './stores.js';

const DIMENSION = 1024;

/** Inserts documents `from` to `to` with insertMany calls of 100, four at a time; returns documents per second. */
async function fill(
  url: string,
  token: string,
  from: number,
  to: number,
  make: (i: number) => unknown,
): Promise<number> {
  const started = performance.now();
  const batches: [number, number][] = [];
  for (let i = from; i < to; i += 100) batches.push([i, Math.min(i + 100, to)]);
  const workers = Array.from({ length: 4 }, async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      const documents = Array.from({ length: batch[1] - batch[0] }, (_, k) => make(batch[0] + k));
      await post(url, { insertMany: { documents, options: { ordered: false } } }, token);
    }
  });
  await Promise.all(workers);
  return ((to - from) * 1000) / (performance.now() - started);
}

function vectorOf(i: number): { $binary: string } {
  const bytes = Buffer.alloc(DIMENSION * 4);
  let state = i + 1;
  for (let k = 0; k < DIMENSION; k++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    bytes.writeFloatBE(state / 2_147_483_648 - 0.5, k * 4);
  }
  return { $binary: bytes.toString('base64') };
}

/** Latency figures come from one connection, so they measure the query rather than the queue. */
const oneAtATime = (body: unknown) => ({ method: 'POST' as const, body, connections: 1 });

/**
 * The Data API: findOne by _id and insertOne as ratios to the hello-world route, insertMany throughput,
 * a filtered find on an indexed field at 10,000 documents (and 100,000 on SQLite; filling PostgreSQL that
 * far would take minutes of this bench), and an exact vector top-10 over 1,000 and 10,000 documents of
 * 1,024 dimensions.
 */
export async function benchDataApi(store: BenchStore, baseline: Figures): Promise<void> {
  const fresh = await store.fresh();
  const token = formatToken(generateClientId(), secretDigest(generateSecret()));
  const env = {
    ...fresh.env,
    ORRERY_BOOTSTRAP_TOKEN: token,
    ORRERY_LOG_LEVEL: 'warn',
    ORRERY_PROVISIONING_SPEED: 'immediate',
  };
  const server = await start('src/cli.ts', env, ['serve', '--port', '0']);
  try {
    const databaseId = await activeDatabase(server.url, token);
    const keyspace = `${server.url}/data/${databaseId}-us-east1/api/json/v1/default_keyspace`;
    await post(keyspace, { createCollection: { name: 'items' } }, token);
    await post(
      keyspace,
      { createCollection: { name: 'vectors', options: { vector: { dimension: DIMENSION, metric: 'cosine' } } } },
      token,
    );
    const items = `${keyspace}/items`;
    const vectors = `${keyspace}/vectors`;
    const item = (i: number) => ({
      _id: `d${i}`,
      n: i,
      group: i % 1000,
      name: `item ${i}`,
      tags: ['a', `t${i % 7}`],
      price: { amount: i % 500, currency: 'EUR' },
    });
    const headers = { token };

    const sizes: [number, number][] = [[0, 10_000]];
    if (store.name === 'SQLite') sizes.push([10_000, 100_000]);
    for (const [from, to] of sizes) {
      const rate = await fill(items, token, from, to, item);
      console.log(`insertMany ${from}..${to} (${store.name}): ${rate.toFixed(0)} documents/s`);
      const filtered = await load(
        items,
        headers,
        oneAtATime({ find: { filter: { group: 42 }, options: { limit: 20 } } }),
      );
      const ranged = await load(items, headers, oneAtATime({ find: { filter: { n: { $gte: 5000, $lt: 5020 } } } }));
      console.log(line(`find group = 42, ${to} documents (${store.name})`, filtered));
      console.log(line(`find 5000 <= n < 5020, ${to} documents (${store.name})`, ranged));
    }

    const findOne = await load(items, headers, { method: 'POST', body: { findOne: { filter: { _id: 'd5000' } } } });
    const insertOne = await load(items, headers, {
      method: 'POST',
      body: { insertOne: { document: { group: -1, name: 'inserted' } } },
    });
    console.log(line(`Data API findOne by _id (${store.name})`, findOne), ratio(findOne.rps, baseline));
    console.log(line(`Data API insertOne (${store.name})`, insertOne), ratio(insertOne.rps, baseline));

    for (const [from, to] of [
      [0, 1_000],
      [1_000, 10_000],
    ] as const) {
      const rate = await fill(vectors, token, from, to, (i) => ({ _id: i, $vector: vectorOf(i) }));
      console.log(
        `insertMany of ${DIMENSION}-dimension vectors ${from}..${to} (${store.name}): ${rate.toFixed(0)} documents/s`,
      );
      const search = await load(
        vectors,
        headers,
        oneAtATime({ find: { sort: { $vector: vectorOf(123_456) }, options: { limit: 10 }, projection: { _id: 1 } } }),
      );
      console.log(line(`vector top-10, ${to} documents (${store.name})`, search));
    }
  } finally {
    await server.stopped();
    fresh.cleanup();
  }
}
