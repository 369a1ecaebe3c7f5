import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orrery } from '../support/cli.js';
import { addOrganization, call, startServer, type TestServer } from '../support/server.js';

// Spawned commands are slow on a busy machine; the work itself is bounded.
vi.setConfig({ testTimeout: 240_000 });

let server: TestServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startServer({ backgroundLifecycle: true });
  // Each run gets its own config file, so no test reads the user's profiles.
  env = {
    ORRERY_URL: server.url,
    ORRERY_TOKEN: server.adminToken,
    ORRERY_CONFIG: path.join(mkdtempSync(path.join(os.tmpdir(), 'orrery-cli-')), 'config.json'),
  };
});
afterAll(() => server.close());

describe('orrery db', () => {
  it('creates a database, waiting with progress, and manages its keyspaces and termination', async () => {
    const created = await orrery(
      ['db', 'create', 'cli_db', '--region', 'us-east1', '--cloud', 'GCP', '--output', 'json'],
      env,
    );
    expect(created.code).toBe(0);
    const { id, status } = JSON.parse(created.stdout);
    expect(status).toBe('ACTIVE');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.stderr).toContain(`database ${id} is ACTIVE`);

    const listed = await orrery(['db', 'list', '--output', 'csv'], env);
    expect(listed.stdout.split('\n')).toEqual(['Name,Id,Status,Cloud,Regions', `cli_db,${id},ACTIVE,GCP,us-east1`, '']);

    const keyspace = await orrery(['db', 'create-keyspace', 'cli_db', '-k', 'second'], env);
    expect(keyspace.code).toBe(0);
    expect(keyspace.stdout).toBe('keyspace second created in cli_db\n');
    const keyspaces = await orrery(['db', 'list-keyspaces', id, '-o', 'json'], env);
    expect(JSON.parse(keyspaces.stdout)).toEqual(['default_keyspace', 'second']);

    const deleted = await orrery(['db', 'delete', 'cli_db', '-o', 'json'], env);
    expect(deleted.code).toBe(0);
    expect(JSON.parse(deleted.stdout)).toEqual({ id, status: 'TERMINATED' });
    expect(deleted.stderr).toContain(`database ${id} is TERMINATED`);
  });

  it('returns at once with --async and exits with distinct codes for unknown databases, bad tokens and bad usage', async () => {
    const created = await orrery(['db', 'create', 'async_db', '--async', '-o', 'json'], env);
    expect(created.code).toBe(0);
    expect(Object.keys(JSON.parse(created.stdout))).toEqual(['id']);
    expect((await orrery(['db', 'get', 'no_such_db'], env)).code).toBe(5);
    const refused = await orrery(['org'], { ...env, ORRERY_TOKEN: 'AstraCS:wrong' });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/^orrery: /);
    expect((await orrery(['db', 'create'], env)).code).toBe(2);
    expect((await orrery(['org'], { ...env, ORRERY_URL: 'http://127.0.0.1:1' })).code).toBe(6);
  });
});

describe('orrery db collections', () => {
  it("creates, lists and deletes a database's collections through its Data API", async () => {
    expect((await orrery(['db', 'create', 'coll_db', '-o', 'json'], env)).code).toBe(0);
    const vector = await orrery(
      [
        'db',
        'create-collection',
        'coll_db',
        '-c',
        'movies',
        '--dimension',
        '3',
        '--metric',
        'dot_product',
        '-o',
        'json',
      ],
      env,
    );
    expect(vector.code).toBe(0);
    expect(JSON.parse(vector.stdout)).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), collection: 'movies' });
    const plain = await orrery(['db', 'create-collection', 'coll_db', '-c', 'notes', '--indexing-deny', 'body'], env);
    expect(plain.stdout).toBe('collection notes created in coll_db\n');

    const listed = await orrery(['db', 'list-collections', 'coll_db', '-o', 'csv'], env);
    expect(listed.stdout.split('\n')).toEqual(['Name,Vector dimension,Metric', 'movies,3,dot_product', 'notes,,', '']);
    const described = await orrery(['db', 'list-collections', 'coll_db', '-k', 'default_keyspace', '-o', 'json'], env);
    expect(JSON.parse(described.stdout)).toEqual([
      {
        name: 'movies',
        options: {
          vector: { dimension: 3, metric: 'dot_product', sourceModel: 'other' },
          lexical: { enabled: false },
          rerank: { enabled: false },
        },
      },
      {
        name: 'notes',
        options: { indexing: { deny: ['body'] }, lexical: { enabled: false }, rerank: { enabled: false } },
      },
    ]);

    const unknownKeyspace = await orrery(['db', 'list-collections', 'coll_db', '-k', 'nope'], env);
    expect(unknownKeyspace.code).toBe(5);
    expect(unknownKeyspace.stderr).toContain('UNKNOWN_KEYSPACE');
    const badMetric = await orrery(
      ['db', 'create-collection', 'coll_db', '-c', 'x', '--dimension', '2', '--metric', 'manhattan'],
      env,
    );
    expect(badMetric.code).toBe(3);
    const other = await addOrganization(server, 'Collections Other');
    const refused = await orrery(['db', 'list-collections', JSON.parse(vector.stdout).id], {
      ...env,
      ORRERY_TOKEN: other.token,
    });
    expect(refused.code).toBe(5);

    const deleted = await orrery(['db', 'delete-collection', 'coll_db', '-c', 'notes', '-o', 'json'], env);
    expect(deleted.code).toBe(0);
    const after = await orrery(['db', 'list-collections', 'coll_db', '-o', 'csv'], env);
    expect(after.stdout.split('\n')).toEqual(['Name,Vector dimension,Metric', 'movies,3,dot_product', '']);
  });
});

describe('orrery token, role and user', () => {
  it('creates a token shown once, lists it without its secret, and revokes it', async () => {
    const created = await orrery(
      ['token', 'create', '--role', 'Database Administrator', '-d', 'from the cli', '-o', 'json'],
      env,
    );
    expect(created.code).toBe(0);
    const token = JSON.parse(created.stdout);
    expect(token.token).toMatch(/^AstraCS:/);
    expect((await call(server, 'GET', '/v2/databases', { token: token.token })).status).toBe(200);

    const listed = await orrery(['token', 'list'], env);
    expect(listed.stdout).toContain(token.clientId);
    expect(listed.stdout).toContain('Database Administrator');
    expect(listed.stdout).not.toContain(token.secret);

    expect((await orrery(['token', 'delete', token.clientId], env)).code).toBe(0);
    expect((await call(server, 'GET', '/v2/databases', { token: token.token })).status).toBe(401);
  });

  it('creates, shows and deletes a custom role, and invites and removes a user', async () => {
    const role = await orrery(
      ['role', 'create', 'Viewers', '-a', 'org-db-view', '-d', 'see databases', '-o', 'json'],
      env,
    );
    expect(role.code).toBe(0);
    const roleId = JSON.parse(role.stdout).ID;
    const shown = await orrery(['role', 'get', 'viewers', '-o', 'json'], env);
    expect(JSON.parse(shown.stdout).Policy.actions).toEqual(['org-db-view']);

    expect((await orrery(['user', 'invite', 'ada@example.com', '-r', 'Viewers'], env)).code).toBe(0);
    const users = await orrery(['user', 'list', '-o', 'json'], env);
    expect(JSON.parse(users.stdout).map((u: { Email: string }) => u.Email)).toEqual(['ada@example.com']);
    // A held role cannot be deleted: the server's 409 is exit code 3.
    expect((await orrery(['role', 'delete', roleId], env)).code).toBe(3);
    expect((await orrery(['user', 'delete', 'ada@example.com'], env)).code).toBe(0);
    expect((await orrery(['role', 'delete', roleId], env)).code).toBe(0);
  });

  it("lists only the caller's organization's tokens", async () => {
    const other = await addOrganization(server, 'Other');
    const listed = await orrery(['token', 'list', '-o', 'json'], { ...env, ORRERY_TOKEN: other.token });
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    expect(JSON.parse(listed.stdout)[0].clientId).toBe(other.token.split(':')[1]);
  });
});

describe('orrery setup and profiles', () => {
  it('stores checked profiles with mode 0600 and picks one by --profile, ORRERY_PROFILE or the default', async () => {
    const config = path.join(mkdtempSync(path.join(os.tmpdir(), 'orrery-profiles-')), 'nested', 'config.json');
    const base = { ORRERY_CONFIG: config };
    const other = await addOrganization(server, 'Second Org');
    expect((await orrery(['setup', '--url', server.url, '--token', server.adminToken], base)).code).toBe(0);
    expect(
      (await orrery(['setup', '--profile', 'second', '--url', server.url, '--token', other.token], base)).code,
    ).toBe(0);
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(config, 'utf8')).default).toBe('default');

    const orgName = async (args: string[], extra: Record<string, string> = {}) =>
      JSON.parse((await orrery([...args, 'org', '-o', 'json'], { ...base, ...extra })).stdout).name;
    expect(await orgName([])).toBe('Default Organization');
    expect(await orgName(['--profile', 'second'])).toBe('Second Org');
    expect(await orgName([], { ORRERY_PROFILE: 'second' })).toBe('Second Org');
    // An environment token wins over the profile's, for CI.
    expect(await orgName([], { ORRERY_TOKEN: other.token })).toBe('Second Org');

    expect((await orrery(['--profile', 'missing', 'org'], base)).code).toBe(2);
    // A wrong token is refused before anything is stored.
    expect(
      (await orrery(['setup', '--profile', 'bad', '--url', server.url, '--token', 'AstraCS:nope'], base)).code,
    ).toBe(4);
    expect(Object.keys(JSON.parse(readFileSync(config, 'utf8')).profiles)).toEqual(['default', 'second']);
  });
});
