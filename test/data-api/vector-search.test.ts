import { DataAPIClient, vector } from '@datastax/astra-db-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import { command, createDatabase } from './support.js';

const DIMENSION = 16;
const COUNT = 300;

/** A small deterministic generator, so every run searches the same vectors. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648 - 0.5;
  };
}

function randomVectors(count: number, seed: number): number[][] {
  const next = generator(seed);
  // Rounded to float32, as the store keeps them.
  return Array.from({ length: count }, () => Array.from({ length: DIMENSION }, () => Math.fround(next())));
}

/** The reference answer, by brute force over every vector, written apart from the code under test. */
function bruteForce(metric: string, query: number[], vectors: number[][]): { index: number; score: number }[] {
  const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
  const scored = vectors.map((v, index) => {
    let score: number;
    if (metric === 'euclidean') score = 1 / (1 + v.reduce((sum, x, i) => sum + (x - query[i]!) ** 2, 0));
    else if (metric === 'dot_product') score = (1 + dot(v, query)) / 2;
    else score = (1 + dot(v, query) / Math.sqrt(dot(v, v) * dot(query, query))) / 2;
    return { index, score };
  });
  return scored.sort((a, b) => b.score - a.score);
}

describe('vector search returns the true nearest neighbours', () => {
  let server: TestServer;
  let client: DataAPIClient;
  let endpoint: string;
  const vectors = randomVectors(COUNT, 42);
  const queries = randomVectors(5, 7);

  beforeAll(async () => {
    server = await startServer();
    endpoint = (await createDatabase(server)).endpoint;
    client = new DataAPIClient(server.adminToken, { logging: [{ events: 'all', emits: [] }] });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it.each(['cosine', 'dot_product', 'euclidean'] as const)(
    'by %s, with similarities scaled as the Data API reports them',
    async (metric) => {
      const db = client.db(endpoint, { keyspace: 'default_keyspace' });
      const collection = await db.createCollection(`by_${metric}`, { vector: { dimension: DIMENSION, metric } });
      // astra-db-ts sends $vector as $binary big-endian float32 unless told otherwise; both forms are stored alike.
      await collection.insertMany(vectors.slice(0, 150).map((v, i) => ({ _id: i, $vector: vector(v) })));
      await collection.insertMany(vectors.slice(150).map((v, i) => ({ _id: 150 + i, $vector: v })));

      for (const query of queries) {
        const expected = bruteForce(metric, query, vectors).slice(0, 10);
        const found = await collection
          .find({}, { sort: { $vector: query }, limit: 10, includeSimilarity: true, projection: { _id: 1 } })
          .toArray();
        expect(found.map((d) => d._id)).toEqual(expected.map((e) => e.index));
        found.forEach((d, i) => expect(d.$similarity).toBeCloseTo(expected[i]!.score, 5));
      }
    },
  );

  it('filters before ranking, and takes a $binary sort vector over plain HTTP', async () => {
    const path = `/data/${endpoint.split('/data/')[1]}/api/json/v1/default_keyspace/by_cosine`;
    const query = queries[0]!;
    const binary = Buffer.alloc(DIMENSION * 4);
    query.forEach((x, i) => binary.writeFloatBE(x, i * 4));
    const response = await command(server, path, {
      find: {
        filter: { _id: { $lt: 100 } },
        sort: { $vector: { $binary: binary.toString('base64') } },
        options: { limit: 3, includeSortVector: true },
      },
    });
    const expected = bruteForce('cosine', query, vectors.slice(0, 100)).slice(0, 3);
    expect(response.body.data.documents.map((d: { _id: number }) => d._id)).toEqual(expected.map((e) => e.index));
    expect(response.body.data.documents[0].$vector).toBeUndefined();
    expect(response.body.status.sortVector).toEqual(query);
    expect(response.body.data.nextPageState).toBeNull();
  });
});
