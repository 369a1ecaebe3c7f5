import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, ORGANIZATION_ADMINISTRATOR_ID } from '../../src/iam/builtin-roles.js';
import { startServer, settle, type TestServer } from '../support/server.js';

const run = promisify(execFile);

/** The product documents' curl commands, with only the host and the placeholders replaced. */
async function curl(server: TestServer, args: string[]): Promise<{ status: number; body: any }> {
  const { stdout } = await run('curl', [
    ...args.map((a) => a.replace('https://api.astra.datastax.com', server.url)),
    '-w',
    '\n%{http_code}',
  ]);
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  const text = lines.join('\n');
  return { status, body: text ? JSON.parse(text) : undefined };
}

describe('the documented curl commands, pointed at Orrery', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('lists databases (DevOps API overview)', async () => {
    const created = await curl(server, [
      '-sS',
      '-L',
      '-X',
      'POST',
      'https://api.astra.datastax.com/v2/databases',
      '--header',
      `Authorization: Bearer ${server.adminToken}`,
      '--header',
      'Content-Type: application/json',
      '--data',
      '{"name":"curl_db","cloudProvider":"AWS","region":"us-east-2","keyspace":"app"}',
    ]);
    expect(created.status).toBe(201);
    const listed = await curl(server, [
      '-sS',
      '-L',
      '-X',
      'GET',
      'https://api.astra.datastax.com/v2/databases',
      '--header',
      `Authorization: Bearer ${server.adminToken}`,
      '--header',
      'Accept: application/json',
    ]);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      expect.objectContaining({
        id: expect.any(String),
        info: expect.objectContaining({ name: 'curl_db', keyspace: 'app' }),
      }),
    ]);
    await settle(server, server.adminToken, listed.body[0].id, 'ACTIVE');
  });

  it('creates, lists and deletes a token (application token guide), and the token stops working', async () => {
    const roleId = BUILTIN_ROLES.find((r) => r.name === 'Database Administrator')!.id;
    const created = await curl(server, [
      '-sS',
      '-L',
      '-X',
      'POST',
      'https://api.astra.datastax.com/v2/tokens',
      '--header',
      `Authorization: Bearer ${server.adminToken}`,
      '--header',
      'Content-Type: application/json',
      '--data',
      JSON.stringify({ roles: [roleId], tokenExpiry: '2030-01-01T21:29:00Z', description: 'from curl' }),
    ]);
    expect(created.status).toBe(200);
    const listed = await curl(server, [
      '-sS',
      '-L',
      '-X',
      'GET',
      'https://api.astra.datastax.com/v2/tokens',
      '--header',
      `Authorization: Bearer ${server.adminToken}`,
      '--header',
      'Content-Type: application/json',
    ]);
    expect(listed.body.clients.map((c: { clientId: string }) => c.clientId)).toContain(created.body.clientId);
    const deleted = await curl(server, [
      '-sS',
      '-L',
      '-X',
      'DELETE',
      `https://api.astra.datastax.com/v2/tokens/${created.body.clientId}`,
      '--header',
      `Authorization: Bearer ${server.adminToken}`,
      '--header',
      'Content-Type: application/json',
    ]);
    expect(deleted.status).toBe(200);
    const refused = await curl(server, [
      '-sS',
      '-L',
      'https://api.astra.datastax.com/v2/currentOrg',
      '--header',
      `Authorization: Bearer ${created.body.token}`,
    ]);
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].ID).toBe(340018);
  });

  it('authenticates a service account (service account guide)', async () => {
    const account = await curl(server, [
      '-sS',
      '-X',
      'POST',
      'https://api.astra.datastax.com/v2/tokens',
      '--header',
      `Authorization: Bearer ${server.adminToken}`,
      '--header',
      'Content-Type: application/json',
      '--data',
      JSON.stringify({ roles: [ORGANIZATION_ADMINISTRATOR_ID], description: 'svc@example.com' }),
    ]);
    const login = await curl(server, [
      '--request',
      'POST',
      '--url',
      'https://api.astra.datastax.com/v2/authenticateServiceAccount',
      '--header',
      'accept: application/json',
      '--header',
      'content-type: application/json',
      '--data',
      JSON.stringify({
        clientName: 'svc@example.com',
        clientId: account.body.clientId,
        clientSecret: account.body.secret,
      }),
    ]);
    expect(login.status).toBe(200);
    const org = await curl(server, [
      '-sS',
      'https://api.astra.datastax.com/v2/currentOrg',
      '--header',
      `Authorization: Bearer ${login.body.token}`,
    ]);
    expect(org.body.id).toBe(server.orgId);
  });
});
