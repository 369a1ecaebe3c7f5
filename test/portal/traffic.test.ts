import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createToken, startServer, settle, type TestServer } from '../support/server.js';
import { STORE } from '../support/stores.js';

const RO_USER = '2cb32e78-4e8d-4f85-a152-4e4df2be1c28';

describe("a database's data-endpoint traffic", () => {
  let server: TestServer;
  let databaseId: string;
  let otherId: string;
  const traffic = (id: string) => call(server, 'GET', `/v2/databases/${id}/traffic`, { token: server.adminToken });

  beforeAll(async () => {
    server = await startServer();
    const create = async (name: string) => {
      const id = (
        await call(server, 'POST', '/v2/databases', {
          token: server.adminToken,
          body: { name, cloudProvider: 'GCP', region: 'us-east1' },
        })
      ).headers.get('location')!;
      await settle(server, server.adminToken, id, 'ACTIVE');
      return id;
    };
    databaseId = await create('measured');
    otherId = await create('quiet');
  });
  afterAll(() => server.close());

  it('records requests and refusals per minute for the database called, and nothing for others', async () => {
    server.clock.set('2026-06-01T10:00:30Z');
    const reader = await createToken(server, [RO_USER]);
    const auth = `/data/${databaseId}-us-east1/api/rest/v1/auth`;
    expect(
      (await call(server, 'POST', auth, { body: { username: reader.clientId, password: reader.secret } })).status,
    ).toBe(201);
    expect(
      (await call(server, 'POST', auth, { body: { username: reader.clientId, password: reader.secret } })).status,
    ).toBe(201);
    expect((await call(server, 'POST', auth, { body: { username: reader.clientId, password: 'wrong' } })).status).toBe(
      401,
    );
    server.clock.set('2026-06-01T10:01:10Z');
    expect(
      (await call(server, 'POST', auth, { body: { username: reader.clientId, password: reader.secret } })).status,
    ).toBe(201);

    const measured = await traffic(databaseId);
    expect(measured.status).toBe(200);
    expect(measured.body.minutes).toBe(60);
    expect(
      measured.body.points.map((p: { at: string; requests: number; errors: number }) => [p.at, p.requests, p.errors]),
    ).toEqual([
      ['2026-06-01T10:00:00.000Z', 3, 1],
      ['2026-06-01T10:01:00.000Z', 1, 0],
    ]);
    const latency = measured.body.points[0].latencyMs;
    expect(latency.p50).toBeGreaterThan(0);
    expect(latency.p50).toBeLessThanOrEqual(latency.p95);
    expect(latency.p95).toBeLessThanOrEqual(latency.p99);
    expect((await traffic(otherId)).body.points).toEqual([]);

    // An hour later those minutes have aged out.
    server.clock.set('2026-06-01T11:01:30Z');
    expect((await traffic(databaseId)).body.points).toEqual([]);
  });

  // Several processes share a store on PostgreSQL only; the embedded store belongs to one process.
  it.runIf(STORE === 'postgres')('adds up the traffic that every process on the same store served', async () => {
    server.clock.set('2026-06-01T12:00:10Z');
    const second = await startServer({ store: server.store, clock: server.clock });
    try {
      const reader = await createToken(server, [RO_USER]);
      const body = { username: reader.clientId, password: reader.secret };
      const auth = `/data/${otherId}-us-east1/api/rest/v1/auth`;
      expect((await call(server, 'POST', auth, { body })).status).toBe(201);
      expect((await call(second, 'POST', auth, { body })).status).toBe(201);
      expect((await call(second, 'POST', auth, { body: { ...body, password: 'wrong' } })).status).toBe(401);
      // Each process writes its counts every few seconds; here the second one's next write is made at once.
      // The process that answers a read writes its own first.
      await second.app.services.traffic.flush();

      for (const reading of [server, second]) {
        const measured = await call(reading, 'GET', `/v2/databases/${otherId}/traffic`, { token: server.adminToken });
        expect(
          measured.body.points.map((p: { at: string; requests: number; errors: number }) => [
            p.at,
            p.requests,
            p.errors,
          ]),
        ).toEqual([['2026-06-01T12:00:00.000Z', 3, 1]]);
      }
    } finally {
      await second.close();
    }
  });
});
