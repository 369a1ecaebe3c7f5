import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { AuditStore } from '../../src/audit/audit-store.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { addOrganization, call, createToken, startServer, settle, type TestServer } from '../support/server.js';
import { STORE } from '../support/stores.js';

const UI_VIEW_ONLY = 'bcf8625e-fdca-4ff7-bbc6-79df873a7875';
const DAY = 24 * 60 * 60_000;

async function auditEvents(server: TestServer, token: string) {
  const response = await call(server, 'GET', '/v2/organizations/audit-events?limit=500', { token });
  expect(response.status).toBe(200);
  return response.body.events as {
    action: string;
    resource: string;
    result: string;
    occurrences: number;
    time: string;
    lastTime: string;
  }[];
}

describe('bounded growth', () => {
  it('reads audit pages through an index in their order, without sorting the log', async () => {
    const server = await startServer();
    try {
      const store = server.app.store;
      const page = new AuditStore(store.db)
        .listQuery({ orgId: server.orgId, limit: 100, before: '2026-06-01T00:00:00.000Z~z', action: 'GENERATE_TOKEN' })
        .compile();
      const plan = await store.db.transaction().execute(async (trx) => {
        if (STORE === 'sqlite')
          return (
            await trx.executeQuery<{ detail: string }>(
              CompiledQuery.raw(`EXPLAIN QUERY PLAN ${page.sql}`, [...page.parameters]),
            )
          ).rows.map((r) => r.detail);
        // A tiny table is cheaper to sort than to walk by index; forbid sorting so the plan shows whether an index fits.
        await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_sort = off'));
        return (
          await trx.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`EXPLAIN ${page.sql}`, [...page.parameters]),
          )
        ).rows.map((r) => r['QUERY PLAN']);
      });
      expect(plan.join('\n')).toMatch(/audit_events_by_org_id/);
      expect(plan.join('\n')).not.toMatch(/TEMP B-TREE|Sort/);
    } finally {
      await server.close();
    }
  });

  it('keeps audit events within their retention by age and by count, each organization apart', async () => {
    const server = await startServer({ auditMaxEvents: 3, auditRetentionDays: 10 });
    try {
      const other = await addOrganization(server, 'Other');
      const made = [];
      for (let i = 0; i < 5; i++) {
        server.clock.advance(1000);
        made.push((await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID])).clientId);
      }
      await createToken({ ...server, adminToken: other.token }, [ORGANIZATION_ADMINISTRATOR_ID], {}, other.token);
      expect(await server.app.services.housekeeping.runOnce()).toMatchObject({ auditEvents: 2 });
      expect((await auditEvents(server, server.adminToken)).map((e) => e.resource)).toEqual([
        made[4],
        made[3],
        made[2],
      ]);
      expect(await auditEvents(server, other.token)).toHaveLength(1);

      server.clock.advance(11 * DAY);
      const recent = (await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID])).clientId;
      await server.app.services.housekeeping.runOnce();
      expect((await auditEvents(server, server.adminToken)).map((e) => e.resource)).toEqual([recent]);
      expect(await auditEvents(server, other.token)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('counts repeated identical denials on one audit event', async () => {
    const server = await startServer();
    try {
      const viewer = await createToken(server, [UI_VIEW_ONLY]);
      const refuse = (description: string) =>
        call(server, 'POST', '/v2/tokens', { token: viewer.token, body: { roles: [UI_VIEW_ONLY], description } });
      for (let i = 0; i < 5; i++) expect((await refuse('again')).status).toBe(403);
      let denied = (await auditEvents(server, server.adminToken)).filter((e) => e.result === 'denied');
      expect(denied).toHaveLength(1);
      expect(denied[0]).toMatchObject({ action: 'org-token-write', occurrences: 5 });

      server.clock.advance(61_000);
      expect((await refuse('later')).status).toBe(403);
      denied = (await auditEvents(server, server.adminToken)).filter((e) => e.result === 'denied');
      expect(denied.map((e) => e.occurrences)).toEqual([1, 5]);
    } finally {
      await server.close();
    }
  });

  it('purges expired tokens and terminated databases after their retention, and nothing else', async () => {
    const server = await startServer({ purgeAfterDays: 2 });
    try {
      const expiring = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID], {
        tokenExpiry: '2026-06-01T01:00:00Z',
      });
      const lasting = await createToken(server, [ORGANIZATION_ADMINISTRATOR_ID]);
      const create = (name: string) =>
        call(server, 'POST', '/v2/databases', {
          token: server.adminToken,
          body: { name, cloudProvider: 'GCP', region: 'us-east1' },
        });
      const doomed = (await create('doomed')).headers.get('location')!;
      const kept = (await create('kept')).headers.get('location')!;
      await settle(server, server.adminToken, doomed, 'ACTIVE');
      await settle(server, server.adminToken, kept, 'ACTIVE');
      expect(
        (await call(server, 'POST', `/v2/databases/${doomed}/terminate`, { token: server.adminToken })).status,
      ).toBe(202);
      await settle(server, server.adminToken, doomed, 'TERMINATED');
      const clientIds = async () =>
        (
          (await call(server, 'GET', '/v2/tokens', { token: server.adminToken })).body.clients as { clientId: string }[]
        ).map((c) => c.clientId);

      server.clock.advance(DAY);
      expect(await server.app.services.housekeeping.runOnce()).toMatchObject({
        expiredTokens: 0,
        terminatedDatabases: 0,
      });
      expect(await clientIds()).toContain(expiring.clientId);

      server.clock.advance(2 * DAY);
      expect(await server.app.services.housekeeping.runOnce()).toMatchObject({
        expiredTokens: 1,
        terminatedDatabases: 1,
      });
      expect(await clientIds()).not.toContain(expiring.clientId);
      expect(await clientIds()).toContain(lasting.clientId);
      expect((await call(server, 'GET', `/v2/databases/${doomed}`, { token: server.adminToken })).status).toBe(404);
      expect((await call(server, 'GET', `/v2/databases/${kept}`, { token: server.adminToken })).body.status).toBe(
        'ACTIVE',
      );
    } finally {
      await server.close();
    }
  });
});
