import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrganization, call, createToken, settle, startServer, type TestServer } from '../support/server.js';
import { command, createDatabase } from '../data-api/support.js';

/**
 * The Data API across organizations, databases and keyspaces: organization A has databases alpha (with
 * keyspaces default_keyspace, other and spare) and alpha2, organization B has beta; each holds a document naming
 * its owner. Every command at every level of alpha is sent with each credential that must not reach it,
 * and alpha is compared before and after.
 */

const DATA_ACTIONS = [
  'db-all-keyspace-describe',
  'db-keyspace-describe',
  'db-keyspace-create',
  'db-keyspace-drop',
  'db-table-create',
  'db-table-drop',
  'db-table-select',
  'db-table-modify',
];

/** One command per kind of action at each level; each would succeed with alpha's administrator token. */
const COMMANDS: [level: 'database' | 'keyspace' | 'collection', body: Record<string, unknown>][] = [
  ['database', { findKeyspaces: {} }],
  ['database', { createKeyspace: { name: 'intruder' } }],
  ['database', { dropKeyspace: { name: 'spare' } }],
  ['database', { findEmbeddingProviders: {} }],
  ['keyspace', { findCollections: { options: { explain: true } } }],
  ['keyspace', { createCollection: { name: 'intruder' } }],
  ['keyspace', { deleteCollection: { name: 'docs' } }],
  ['collection', { find: {} }],
  ['collection', { findOne: { filter: { _id: 'secret' } } }],
  ['collection', { countDocuments: {} }],
  ['collection', { estimatedDocumentCount: {} }],
  ['collection', { insertOne: { document: { _id: 'intruder' } } }],
  ['collection', { updateMany: { filter: {}, update: { $set: { owner: 'intruder' } } } }],
  ['collection', { findOneAndDelete: { filter: { _id: 'secret' } } }],
  ['collection', { deleteMany: { filter: {} } }],
];

describe('isolation of the Data API', () => {
  let server: TestServer;
  let b: { orgId: string; token: string };
  let alpha: { id: string; path: string };
  let alpha2: { id: string; path: string };
  let beta: { id: string; path: string };
  /** Credentials that must not reach alpha, by what they are. */
  const outsiders: Record<string, string> = {};

  const at = (db: { path: string }, level: string, keyspace = 'default_keyspace') =>
    level === 'database' ? db.path : level === 'keyspace' ? `${db.path}/${keyspace}` : `${db.path}/${keyspace}/docs`;

  async function holdSecret(token: string, db: { path: string }, owner: string, keyspace = 'default_keyspace') {
    await command(server, at(db, 'keyspace', keyspace), { createCollection: { name: 'docs' } }, token);
    await command(server, at(db, 'collection', keyspace), { insertOne: { document: { _id: 'secret', owner } } }, token);
  }

  async function scopedToken(name: string, resources: string[]): Promise<string> {
    const role = await call(server, 'POST', '/v2/organizations/roles', {
      token: server.adminToken,
      body: { name, policy: { description: name, effect: 'allow', resources, actions: DATA_ACTIONS } },
    });
    expect(role.status).toBe(201);
    return (await createToken(server, [role.body.ID], { description: name })).token;
  }

  async function authToken(token: string, db: { id: string }): Promise<string> {
    const response = await call(server, 'POST', `/data/${db.id}-us-east1/api/rest/v1/auth`, {
      body: { username: 'token', password: token },
    });
    expect(response.status).toBe(201);
    return response.body.authToken as string;
  }

  /** Alpha as its administrator sees it: keyspaces, collections and every document. */
  async function contentOfAlpha() {
    const read = async (path: string, body: unknown) => (await command(server, path, body)).body;
    return {
      keyspaces: (await read(alpha.path, { findKeyspaces: {} })).status.keyspaces,
      collections: (await read(at(alpha, 'keyspace'), { findCollections: {} })).status.collections,
      documents: (await read(at(alpha, 'collection'), { find: {} })).data.documents,
      other: (await read(at(alpha, 'collection', 'other'), { find: {} })).data.documents,
    };
  }

  beforeAll(async () => {
    server = await startServer();
    b = await addOrganization(server, 'B');
    alpha = await createDatabase(server, server.adminToken, { name: 'alpha' });
    alpha2 = await createDatabase(server, server.adminToken, { name: 'alpha2' });
    beta = await createDatabase(server, b.token, { name: 'beta' });
    for (const keyspace of ['other', 'spare']) {
      await call(server, 'POST', `/v2/databases/${alpha.id}/keyspaces/${keyspace}`, { token: server.adminToken });
      await settle(server, server.adminToken, alpha.id, 'ACTIVE');
    }
    await holdSecret(server.adminToken, alpha, 'alpha');
    await holdSecret(server.adminToken, alpha, 'alpha other', 'other');
    await holdSecret(server.adminToken, alpha2, 'alpha2');
    await holdSecret(b.token, beta, 'beta');

    const org = `drn:astra:org:${server.orgId}`;
    outsiders["organization B's administrator"] = b.token;
    outsiders["an auth token of organization B's database"] = await authToken(b.token, beta);
    outsiders['a token of organization A scoped to database alpha2'] = await scopedToken('alpha2 only', [
      `${org}:db:${alpha2.id}`,
      `${org}:db:${alpha2.id}:keyspace:*`,
      `${org}:db:${alpha2.id}:keyspace:*:table:*`,
    ]);
    outsiders['an auth token of database alpha2'] = await authToken(server.adminToken, alpha2);
    outsiders["a token of organization A scoped to alpha's keyspace other"] = await scopedToken('alpha other only', [
      `${org}:db:${alpha.id}:keyspace:other`,
      `${org}:db:${alpha.id}:keyspace:other:table:*`,
    ]);
  });
  afterAll(() => server.close());

  it('refuses every command at every level of a database to credentials of another organization, database or keyspace', async () => {
    const before = await contentOfAlpha();
    const expected = {
      // Another organization's token, or one whose roles do not cover the resource: unauthorized.
      "organization B's administrator": 'UNAUTHORIZED_ACCESS',
      'a token of organization A scoped to database alpha2': 'UNAUTHORIZED_ACCESS',
      "a token of organization A scoped to alpha's keyspace other": 'UNAUTHORIZED_ACCESS',
      // An auth token is made for one database: on another it does not authenticate at all.
      "an auth token of organization B's database": 'UNAUTHENTICATED_REQUEST',
      'an auth token of database alpha2': 'UNAUTHENTICATED_REQUEST',
    };
    expect(Object.keys(outsiders).sort()).toEqual(Object.keys(expected).sort());
    const wrong: string[] = [];
    for (const [who, token] of Object.entries(outsiders)) {
      for (const [level, body] of COMMANDS) {
        const response = await command(server, at(alpha, level), body, token);
        const code = response.body?.errors?.[0]?.errorCode;
        if (response.status !== 401 || code !== expected[who as keyof typeof expected])
          wrong.push(`${who}: ${Object.keys(body)[0]} -> ${response.status} ${code}`);
        if (response.text.includes('alpha')) wrong.push(`${who}: ${Object.keys(body)[0]} showed alpha's data`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await contentOfAlpha()).toEqual(before);
  });

  it('lets the keyspace-scoped token work in its own keyspace only', async () => {
    const token = outsiders["a token of organization A scoped to alpha's keyspace other"]!;
    expect((await command(server, at(alpha, 'collection', 'other'), { find: {} }, token)).body.data.documents).toEqual([
      { _id: 'secret', owner: 'alpha other' },
    ]);
  });

  it("never shows one database's data through another database's endpoint, whatever the token", async () => {
    const owners = async (db: { path: string }, token: string) => {
      const response = await command(server, at(db, 'collection'), { find: {} }, token);
      return response.body.data?.documents?.map((d: { owner: string }) => d.owner) ?? response.body.errors[0].errorCode;
    };
    expect(await owners(alpha, server.adminToken)).toEqual(['alpha']);
    expect(await owners(alpha2, server.adminToken)).toEqual(['alpha2']);
    expect(await owners(beta, b.token)).toEqual(['beta']);
    expect(await owners(beta, server.adminToken)).toBe('UNAUTHORIZED_ACCESS');
    expect(await owners(alpha2, outsiders['a token of organization A scoped to database alpha2']!)).toEqual(['alpha2']);
    expect(await owners(alpha2, outsiders['an auth token of database alpha2']!)).toEqual(['alpha2']);
    expect(await owners(beta, outsiders["an auth token of organization B's database"]!)).toEqual(['beta']);
    // A database's own endpoint name is needed: an id with another database's region is no endpoint.
    const mixed = await command(server, `/data/${alpha.id}-us-east-2/api/json/v1/default_keyspace/docs`, { find: {} });
    expect(mixed.status).toBe(404);
  });
});
