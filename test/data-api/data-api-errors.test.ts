import { readFileSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrganization, call, createToken, settle, startServer, type TestServer } from '../support/server.js';
import { command, createDatabase } from './support.js';

/** The built-in Read Only User role. */
const READ_ONLY_USER = '2cb32e78-4e8d-4f85-a152-4e4df2be1c28';

interface Case {
  label: string;
  /** '' for the database, 'ks' for the keyspace, 'plain' / 'vec' / 'narrow' for a collection. */
  at: string;
  body: unknown;
  status: number;
  code: string;
  scope: string;
  family?: 'REQUEST' | 'SERVER';
  /** Words the message must contain. */
  says: string;
}

const CASES: Case[] = [
  {
    label: 'an unknown command',
    at: 'plain',
    body: { frobnicate: {} },
    status: 200,
    code: 'COMMAND_UNKNOWN',
    scope: '',
    says: 'frobnicate',
  },
  {
    label: 'a command at the wrong level',
    at: '',
    body: { find: {} },
    status: 200,
    code: 'COMMAND_UNKNOWN',
    scope: '',
    says: 'collection level',
  },
  {
    label: 'a body that is not JSON',
    at: 'plain',
    body: '{"find": ',
    status: 200,
    code: 'REQUEST_NOT_JSON',
    scope: '',
    says: 'not valid JSON',
  },
  {
    label: 'two commands in one body',
    at: 'plain',
    body: { find: {}, findOne: {} },
    status: 200,
    code: 'REQUEST_STRUCTURE_MISMATCH',
    scope: '',
    says: 'exactly one command',
  },
  {
    label: 'an unknown field',
    at: 'plain',
    body: { find: { filtre: {} } },
    status: 200,
    code: 'COMMAND_FIELD_UNKNOWN',
    scope: '',
    says: 'filtre',
  },
  {
    label: 'an unknown option',
    at: 'plain',
    body: { find: { options: { limitt: 1 } } },
    status: 200,
    code: 'COMMAND_FIELD_UNKNOWN',
    scope: '',
    says: 'limitt',
  },
  {
    label: 'options on a command without any',
    at: 'ks',
    body: { findCollections: { options: { explain: 'yes' } } },
    status: 200,
    code: 'COMMAND_FIELD_VALUE_INVALID',
    scope: '',
    says: 'explain',
  },
  {
    label: 'a negative limit',
    at: 'plain',
    body: { find: { options: { limit: -1 } } },
    status: 200,
    code: 'COMMAND_FIELD_VALUE_INVALID',
    scope: '',
    says: 'limit',
  },
  {
    label: 'a forged page state',
    at: 'plain',
    body: { find: { options: { pageState: 'bm9wZQ' } } },
    status: 200,
    code: 'COMMAND_FIELD_VALUE_INVALID',
    scope: '',
    says: 'pageState',
  },
  {
    label: 'too many documents for insertMany',
    at: 'plain',
    body: { insertMany: { documents: Array.from({ length: 101 }, () => ({})) } },
    status: 200,
    code: 'COMMAND_FIELD_VALUE_INVALID',
    scope: '',
    says: 'at most 100',
  },
  {
    label: 'an unknown keyspace',
    at: 'nokeyspace',
    body: { findCollections: {} },
    status: 200,
    code: 'UNKNOWN_KEYSPACE',
    scope: 'SCHEMA',
    says: 'nokeyspace',
  },
  {
    label: 'an unknown collection',
    at: 'missing',
    body: { find: {} },
    status: 200,
    code: 'UNKNOWN_COLLECTION_OR_TABLE',
    scope: 'SCHEMA',
    says: 'missing',
  },
  {
    label: 'a bad collection name',
    at: 'ks',
    body: { createCollection: { name: 'bad-name' } },
    status: 200,
    code: 'UNSUPPORTED_SCHEMA_NAME',
    scope: 'SCHEMA',
    says: 'bad-name',
  },
  {
    label: 'an unknown createCollection option',
    at: 'ks',
    body: { createCollection: { name: 'x', options: { colour: 'red' } } },
    status: 200,
    code: 'COMMAND_FIELD_UNKNOWN',
    scope: '',
    says: 'colour',
  },
  {
    label: 'a bad vector metric',
    at: 'ks',
    body: { createCollection: { name: 'x', options: { vector: { dimension: 3, metric: 'manhattan' } } } },
    status: 200,
    code: 'INVALID_CREATE_COLLECTION_OPTIONS',
    scope: 'SCHEMA',
    says: 'manhattan',
  },
  {
    label: 'a vector too long',
    at: 'ks',
    body: { createCollection: { name: 'x', options: { vector: { dimension: 5000 } } } },
    status: 200,
    code: 'VECTOR_SEARCH_TOO_BIG_VALUE',
    scope: 'SCHEMA',
    says: '4096',
  },
  {
    label: 'an embedding service',
    at: 'ks',
    body: {
      createCollection: {
        name: 'x',
        options: { vector: { dimension: 3, service: { provider: 'openai', modelName: 'x' } } },
      },
    },
    status: 200,
    code: 'VECTORIZE_FEATURE_NOT_AVAILABLE',
    scope: 'SCHEMA',
    says: 'embedding provider',
  },
  {
    label: 'a bad indexing option',
    at: 'ks',
    body: { createCollection: { name: 'x', options: { indexing: { allow: ['a'], deny: ['b'] } } } },
    status: 200,
    code: 'INVALID_INDEXING_DEFINITION',
    scope: 'SCHEMA',
    says: 'exactly one',
  },
  {
    label: 'the same name with other settings',
    at: 'ks',
    body: { createCollection: { name: 'plain', options: { vector: { dimension: 2 } } } },
    status: 200,
    code: 'EXISTING_COLLECTION_DIFFERENT_SETTINGS',
    scope: 'SCHEMA',
    says: 'plain',
  },
  {
    label: 'a duplicate _id',
    at: 'plain',
    body: { insertOne: { document: { _id: 'taken' } } },
    status: 200,
    code: 'DOCUMENT_ALREADY_EXISTS',
    scope: 'DOCUMENT',
    says: 'taken',
  },
  {
    label: 'an array _id',
    at: 'plain',
    body: { insertOne: { document: { _id: [1] } } },
    status: 200,
    code: 'SHRED_BAD_DOCID_TYPE',
    scope: 'DOCUMENT',
    says: '_id',
  },
  {
    label: 'a bad field name',
    at: 'plain',
    body: { insertOne: { document: { $where: 1 } } },
    status: 200,
    code: 'SHRED_BAD_FIELD_NAME',
    scope: 'DOCUMENT',
    says: '$where',
  },
  {
    label: 'a bad $date',
    at: 'plain',
    body: { insertOne: { document: { d: { $date: 'yesterday' } } } },
    status: 200,
    code: 'SHRED_BAD_EJSON_VALUE',
    scope: 'DOCUMENT',
    says: '$date',
  },
  {
    label: '$vectorize',
    at: 'vec',
    body: { insertOne: { document: { $vectorize: 'some text' } } },
    status: 200,
    code: 'EMBEDDING_SERVICE_NOT_CONFIGURED',
    scope: 'SCHEMA',
    says: 'embedding',
  },
  {
    label: 'a vector of the wrong length',
    at: 'vec',
    body: { insertOne: { document: { $vector: [1, 2] } } },
    status: 200,
    code: 'INVALID_VECTOR_LENGTH',
    scope: 'DOCUMENT',
    says: '2 dimensions',
  },
  {
    label: 'a vector that is not numbers',
    at: 'vec',
    body: { insertOne: { document: { $vector: ['a', 'b', 'c'] } } },
    status: 200,
    code: 'SHRED_BAD_VECTOR_VALUE',
    scope: 'DOCUMENT',
    says: 'numbers',
  },
  {
    label: 'a binary vector of odd length',
    at: 'vec',
    body: { insertOne: { document: { $vector: { $binary: 'AAA=' } } } },
    status: 200,
    code: 'SHRED_BAD_BINARY_VECTOR_VALUE',
    scope: 'DOCUMENT',
    says: 'float32',
  },
  {
    label: 'a vector in a plain collection',
    at: 'plain',
    body: { insertOne: { document: { $vector: [1] } } },
    status: 200,
    code: 'VECTOR_SEARCH_NOT_SUPPORTED',
    scope: 'SCHEMA',
    says: 'not vector-enabled',
  },
  {
    label: 'an unknown filter operator',
    at: 'plain',
    body: { find: { filter: { a: { $regex: 'x' } } } },
    status: 200,
    code: 'FILTER_UNSUPPORTED_OPERATOR',
    scope: 'FILTER',
    says: '$regex',
  },
  {
    label: 'an unknown logical operator',
    at: 'plain',
    body: { find: { filter: { $nor: [] } } },
    status: 200,
    code: 'FILTER_UNSUPPORTED_OPERATOR',
    scope: 'FILTER',
    says: '$nor',
  },
  {
    label: '$in without an array',
    at: 'plain',
    body: { find: { filter: { a: { $in: 3 } } } },
    status: 200,
    code: 'FILTER_INVALID_EXPRESSION',
    scope: 'FILTER',
    says: 'array',
  },
  {
    label: '$in with too many values',
    at: 'plain',
    body: { find: { filter: { a: { $in: Array.from({ length: 101 }, (_, i) => i) } } } },
    status: 200,
    code: 'FILTER_FIELDS_LIMIT_VIOLATION',
    scope: 'FILTER',
    says: '100',
  },
  {
    label: 'a range on an object',
    at: 'plain',
    body: { find: { filter: { a: { $gt: { b: 1 } } } } },
    status: 200,
    code: 'FILTER_INVALID_EXPRESSION',
    scope: 'FILTER',
    says: '$gt',
  },
  {
    label: 'a filter on an unindexed path',
    at: 'narrow',
    body: { find: { filter: { secret: 1 } } },
    status: 200,
    code: 'FILTER_PATH_UNINDEXED',
    scope: 'FILTER',
    says: 'secret',
  },
  {
    label: 'a sort on an unindexed path',
    at: 'narrow',
    body: { find: { sort: { secret: 1 } } },
    status: 200,
    code: 'SORT_CLAUSE_PATH_UNINDEXED',
    scope: 'SORT',
    says: 'secret',
  },
  {
    label: 'a sort direction that is not 1 or -1',
    at: 'plain',
    body: { find: { sort: { a: 2 } } },
    status: 200,
    code: 'SORT_CLAUSE_VALUE_INVALID',
    scope: 'SORT',
    says: '1 (ascending)',
  },
  {
    label: 'a vector sort with other fields',
    at: 'vec',
    body: { find: { sort: { $vector: [1, 2, 3], a: 1 } } },
    status: 200,
    code: 'CANNOT_SORT_ON_SPECIAL_WITH_OTHERS',
    scope: 'SORT',
    says: '$vector',
  },
  {
    label: 'a vector sort on a plain collection',
    at: 'plain',
    body: { find: { sort: { $vector: [1] } } },
    status: 200,
    code: 'UNSUPPORTED_VECTOR_SORT_FOR_COLLECTION',
    scope: 'SORT',
    says: 'not vector-enabled',
  },
  {
    label: 'a $vectorize sort',
    at: 'vec',
    body: { find: { sort: { $vectorize: 'text' } } },
    status: 200,
    code: 'UNSUPPORTED_VECTORIZE_SORT_FOR_COLLECTION',
    scope: 'SORT',
    says: 'embedding',
  },
  {
    label: 'a vector sort with skip',
    at: 'vec',
    body: { find: { sort: { $vector: [1, 2, 3] }, options: { skip: 1 } } },
    status: 200,
    code: 'CANNOT_VECTOR_SORT_WITH_SKIP_OPTION',
    scope: 'SORT',
    says: 'skip',
  },
  {
    label: 'a vector sort above the limit',
    at: 'vec',
    body: { find: { sort: { $vector: [1, 2, 3] }, options: { limit: 1001 } } },
    status: 200,
    code: 'CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX',
    scope: 'SORT',
    says: '1000',
  },
  {
    label: 'a sort vector of the wrong length',
    at: 'vec',
    body: { find: { sort: { $vector: [1] } } },
    status: 200,
    code: 'INVALID_VECTOR_LENGTH',
    scope: 'DOCUMENT',
    says: '1 dimensions',
  },
  {
    label: 'an unknown update operator',
    at: 'plain',
    body: { updateOne: { filter: {}, update: { $frob: { a: 1 } } } },
    status: 200,
    code: 'UNSUPPORTED_UPDATE_OPERATION',
    scope: 'UPDATE',
    says: '$frob',
  },
  {
    label: 'an empty update',
    at: 'plain',
    body: { updateOne: { filter: {}, update: {} } },
    status: 200,
    code: 'MISSING_UPDATE_OPERATIONS',
    scope: 'UPDATE',
    says: 'no operation',
  },
  {
    label: 'an update of _id',
    at: 'plain',
    body: { updateOne: { filter: {}, update: { $set: { _id: 2 } } } },
    status: 200,
    code: 'UNSUPPORTED_UPDATE_OPERATOR_FOR_DOC_ID',
    scope: 'UPDATE',
    says: '_id',
  },
  {
    label: '$inc on $vector',
    at: 'vec',
    body: { updateOne: { filter: {}, update: { $inc: { $vector: 1 } } } },
    status: 200,
    code: 'UNSUPPORTED_UPDATE_OPERATOR_FOR_VECTOR',
    scope: 'UPDATE',
    says: '$vector',
  },
  {
    label: 'overlapping updates',
    at: 'plain',
    body: { updateOne: { filter: {}, update: { $set: { a: 1 }, $inc: { 'a.b': 1 } } } },
    status: 200,
    code: 'UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS',
    scope: 'UPDATE',
    says: 'a.b',
  },
  {
    label: '$inc on a string',
    at: 'plain',
    body: { updateOne: { filter: { _id: 'taken' }, update: { $inc: { word: 1 } } } },
    status: 200,
    code: 'UNSUPPORTED_UPDATE_OPERATION_TARGET',
    scope: 'UPDATE',
    says: 'number',
  },
  {
    label: '$inc with a string',
    at: 'plain',
    body: { updateOne: { filter: {}, update: { $inc: { n: 'one' } } } },
    status: 200,
    code: 'UNSUPPORTED_UPDATE_OPERATION_PARAM',
    scope: 'UPDATE',
    says: 'number',
  },
  {
    label: '$push with a bad modifier',
    at: 'plain',
    body: { updateOne: { filter: {}, update: { $push: { list: { $each: 1 } } } } },
    status: 200,
    code: 'INVALID_PUSH_OPERATOR_USAGE',
    scope: 'UPDATE',
    says: '$each',
  },
  {
    label: 'a replacement with another _id',
    at: 'plain',
    body: { findOneAndReplace: { filter: { _id: 'taken' }, replacement: { _id: 'other' } } },
    status: 200,
    code: 'DOCUMENT_REPLACE_DIFFERENT_DOCID',
    scope: 'DOCUMENT',
    says: 'other',
  },
  {
    label: 'a projection mixing inclusion and exclusion',
    at: 'plain',
    body: { find: { projection: { a: 1, b: 0 } } },
    status: 200,
    code: 'UNSUPPORTED_PROJECTION_DEFINITION',
    scope: 'PROJECTION',
    says: 'both',
  },
  {
    label: 'a bad projection value',
    at: 'plain',
    body: { find: { projection: { a: 'yes' } } },
    status: 200,
    code: 'UNSUPPORTED_PROJECTION_PARAM',
    scope: 'PROJECTION',
    says: 'a',
  },
  {
    label: 'a bad keyspace name',
    at: '',
    body: { createKeyspace: { name: '1bad' } },
    status: 200,
    code: 'UNSUPPORTED_SCHEMA_NAME',
    scope: 'SCHEMA',
    says: '1bad',
  },
  {
    label: 'options on a command that takes none',
    at: '',
    body: { findKeyspaces: { options: { x: 1 } } },
    status: 200,
    code: 'COMMAND_ACCEPTS_NO_OPTIONS',
    scope: '',
    says: 'no options',
  },
  {
    label: 'a document that is not an object',
    at: 'plain',
    body: { insertMany: { documents: [5] } },
    status: 200,
    code: 'SHRED_BAD_DOCUMENT_TYPE',
    scope: 'DOCUMENT',
    says: 'JSON object',
  },
  {
    label: 'a $vector of the wrong type',
    at: 'vec',
    body: { insertOne: { document: { $vector: 'x' } } },
    status: 200,
    code: 'SHRED_BAD_DOCUMENT_VECTOR_TYPE',
    scope: 'DOCUMENT',
    says: '$binary',
  },
  {
    label: 'an empty $vector',
    at: 'vec',
    body: { insertOne: { document: { $vector: [] } } },
    status: 200,
    code: 'SHRED_BAD_VECTOR_SIZE',
    scope: 'DOCUMENT',
    says: 'at least one',
  },
  {
    label: '$position with $addToSet',
    at: 'plain',
    body: { updateOne: { filter: {}, update: { $addToSet: { list: { $each: [1], $position: 0 } } } } },
    status: 200,
    code: 'UNSUPPORTED_UPDATE_OPERATION_MODIFIER',
    scope: 'UPDATE',
    says: '$position',
  },
  {
    label: 'an update of a bad path',
    at: 'plain',
    body: { updateOne: { filter: {}, update: { $set: { 'a..b': 1 } } } },
    status: 200,
    code: 'UNSUPPORTED_UPDATE_OPERATION_PATH',
    scope: 'UPDATE',
    says: 'a..b',
  },
  {
    label: '$lexical in a document',
    at: 'plain',
    body: { insertOne: { document: { $lexical: 'words' } } },
    status: 200,
    code: 'LEXICAL_NOT_ENABLED_FOR_COLLECTION',
    scope: 'SCHEMA',
    says: '$lexical',
  },
  {
    label: 'a sort that is not an object',
    at: 'plain',
    body: { find: { sort: 5 } },
    status: 200,
    code: 'SORT_CLAUSE_INVALID',
    scope: 'SORT',
    says: 'JSON object',
  },
  {
    label: 'a sort on an unknown special field',
    at: 'plain',
    body: { find: { sort: { $where: 1 } } },
    status: 200,
    code: 'SORT_CLAUSE_PATH_INVALID',
    scope: 'SORT',
    says: '$where',
  },
  {
    label: 'a form-encoded body',
    at: 'plain',
    body: { find: {} },
    status: 415,
    code: 'UNSUPPORTED_CONTENT_TYPE',
    scope: '',
    says: 'application/json',
  },
];

describe('Data API errors: code, HTTP status, family, scope and message', () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await startServer();
    base = (await createDatabase(server)).path;
    const ks = `${base}/default_keyspace`;
    await command(server, ks, { createCollection: { name: 'plain' } });
    await command(server, ks, { createCollection: { name: 'vec', options: { vector: { dimension: 3 } } } });
    await command(server, ks, { createCollection: { name: 'narrow', options: { indexing: { allow: ['open'] } } } });
    await command(server, `${ks}/plain`, { insertOne: { document: { _id: 'taken', word: 'w' } } });
  });
  afterAll(async () => server.close());

  it.each(CASES)('answers $label with $code', async ({ at, body, status, code, scope, family, says, label }) => {
    const path =
      at === ''
        ? base
        : at === 'ks'
          ? `${base}/default_keyspace`
          : at === 'nokeyspace'
            ? `${base}/nokeyspace`
            : `${base}/default_keyspace/${at}`;
    const headers: Record<string, string> =
      label === 'a form-encoded body' ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
    const response = await command(server, path, body, server.adminToken, headers);
    expect(response.status).toBe(status);
    const [error] = response.body.errors;
    expect(error).toMatchObject({ errorCode: code, scope, family: family ?? 'REQUEST' });
    expect(error.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.title.length).toBeGreaterThan(0);
    expect(error.message).toContain(says);
  });

  it('answers the security, availability and deprecation errors with their status, family, scope and message', async () => {
    const plain = `${base}/default_keyspace/plain`;
    const expectError = (
      response: { status: number; body: any },
      expected: { status: number; code: string; family: string; scope: string; title: string; says: string },
    ) => {
      const [error] = response.body.errors;
      expect({
        status: response.status,
        code: error.errorCode,
        family: error.family,
        scope: error.scope,
        title: error.title,
      }).toEqual({
        status: expected.status,
        code: expected.code,
        family: expected.family,
        scope: expected.scope,
        title: expected.title,
      });
      expect(error.message).toContain(expected.says);
    };
    expectError(await command(server, plain, { find: {} }, null), {
      status: 401,
      code: 'MISSING_AUTHENTICATION_TOKEN',
      family: 'REQUEST',
      scope: 'SECURITY',
      title: 'Missing authorization token',
      says: 'no Token',
    });
    expectError(await command(server, plain, { find: {} }, 'AstraCS:nope'), {
      status: 401,
      code: 'UNAUTHENTICATED_REQUEST',
      family: 'REQUEST',
      scope: 'SECURITY',
      title: 'Authentication failed',
      says: 'not valid',
    });
    const other = await addOrganization(server, 'Other');
    expectError(await command(server, plain, { find: {} }, other.token), {
      status: 401,
      code: 'UNAUTHORIZED_ACCESS',
      family: 'REQUEST',
      scope: 'SECURITY',
      title: 'Unauthorized access to the database',
      says: 'does not grant access to this database',
    });
    const reader = await createToken(server, [READ_ONLY_USER]);
    expectError(await command(server, plain, { insertOne: { document: {} } }, reader.token), {
      status: 401,
      code: 'UNAUTHORIZED_ACCESS',
      family: 'REQUEST',
      scope: 'SECURITY',
      title: 'Unauthorized access to the database',
      says: 'do not grant db-table-modify on drn:astra:org:',
    });

    const fenced = await createDatabase(server, server.adminToken, { name: 'fenced' });
    await call(server, 'POST', `/v2/databases/${fenced.id}/access-list`, {
      token: server.adminToken,
      body: [{ address: '198.51.100.7/32', enabled: true }],
    });
    expectError(await command(server, fenced.path, { findKeyspaces: {} }), {
      status: 403,
      code: 'UNAUTHORIZED_ACCESS',
      family: 'REQUEST',
      scope: 'SECURITY',
      title: 'Unauthorized access to the database',
      says: "not in the database's access list",
    });

    const classic = await createDatabase(server, server.adminToken, { name: 'classic', tier: 'C10' });
    await call(server, 'POST', `/v2/databases/${classic.id}/park`, { token: server.adminToken });
    await settle(server, server.adminToken, classic.id, 'PARKED');
    expectError(await command(server, classic.path, { findKeyspaces: {} }), {
      status: 503,
      code: 'UNAVAILABLE_DATABASE',
      family: 'SERVER',
      scope: 'DATABASE',
      title: 'The database is unavailable',
      says: `${classic.id} is PARKED`,
    });

    const nowhere = '/data/00000000-0000-4000-8000-000000000000-us-east1/api/json/v1';
    expectError(await command(server, nowhere, { findKeyspaces: {} }), {
      status: 404,
      code: 'UNAVAILABLE_DATABASE',
      family: 'SERVER',
      scope: 'DATABASE',
      title: 'The database is unavailable',
      says: 'No database has the data endpoint 00000000-0000-4000-8000-000000000000-us-east1',
    });

    const deprecated = await command(server, base, { findNamespaces: {} });
    expect(deprecated.status).toBe(200);
    expect(deprecated.body.status.warnings).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        family: 'REQUEST',
        scope: 'WARNING',
        errorCode: 'DEPRECATED_COMMAND',
        title: 'Deprecated command',
        message: 'findNamespaces is deprecated; use findKeyspaces.',
      },
    ]);
  });

  it('answers UNEXPECTED_SERVER_ERROR with HTTP 500 when its data store breaks, without showing why', async () => {
    const broken = await createDatabase(server, server.adminToken, { name: 'broken' });
    const ks = `${broken.path}/default_keyspace`;
    await command(server, ks, { createCollection: { name: 'docs' } });
    // The index table goes missing behind the server's back: a fault no request can cause.
    if (server.store.databaseUrl) {
      const client = new pg.Client({ connectionString: server.store.databaseUrl });
      await client.connect();
      await client.query(`DROP TABLE data_${broken.id.replaceAll('-', '')}.entries`);
      await client.end();
    } else {
      const file = new SQLite(path.join(server.store.dataDir, 'databases', `${broken.id}.sqlite`));
      file.exec('DROP TABLE entries');
      file.close();
    }
    const response = await command(server, `${ks}/docs`, { find: { filter: { a: 1 } } });
    expect(response.status).toBe(500);
    expect(response.body.errors).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        family: 'SERVER',
        scope: '',
        errorCode: 'UNEXPECTED_SERVER_ERROR',
        title: 'Unexpected server error',
        message: 'The server failed to run the command; see its log.',
      },
    ]);
  });

  // Collection errors are tested in this file, table errors in tables-errors.test.ts.
  it('tests every error code the Data API declares', () => {
    // A kind's code is its key, unless it names another one (one code declared in several scopes).
    const declared = [
      ...readFileSync('src/data-api/data-api-errors.ts', 'utf8').matchAll(/^ {2}([A-Z_]+): \{([^}]*)\}/gm),
    ].map((m) => /code: '([A-Z_]+)'/.exec(m[2]!)?.[1] ?? m[1]!);
    expect(declared.length).toBeGreaterThan(60);
    const tests = ['data-api-errors.test.ts', 'tables-errors.test.ts']
      .map((file) => readFileSync(`test/data-api/${file}`, 'utf8'))
      .join('\n');
    expect(declared.filter((code) => !tests.includes(`'${code}'`))).toEqual([]);
  });

  it('refuses too many collections with TOO_MANY_COLLECTIONS', async () => {
    const limited = await startServer({ dataApiMaxCollections: 2 });
    try {
      const ks = `${(await createDatabase(limited)).path}/default_keyspace`;
      await command(limited, ks, { createCollection: { name: 'one' } });
      await command(limited, ks, { createCollection: { name: 'two' } });
      const third = await command(limited, ks, { createCollection: { name: 'three' } });
      expect(third.body.errors[0]).toMatchObject({
        errorCode: 'TOO_MANY_COLLECTIONS',
        scope: 'SCHEMA',
        title: 'Too many collections',
      });
      expect(third.body.errors[0].message).toContain('2 collections');
      // The same collection again is not a new one.
      expect((await command(limited, ks, { createCollection: { name: 'two' } })).body.status).toEqual({ ok: 1 });
    } finally {
      await limited.close();
    }
  });

  it('enforces the document limits with SHRED_DOC_LIMIT_VIOLATION', async () => {
    const plain = `${base}/default_keyspace/plain`;
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 17; i++) deep = { d: deep };
    const cases: [string, Record<string, unknown>, string][] = [
      ['too deep', deep, 'deeper than 16'],
      [
        'too many properties',
        { o: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`p${i}`, i])) },
        'at o has 1001 properties',
      ],
      ['a long string', { s: 'x'.repeat(8001) }, '8001 bytes'],
      ['a long array', { a: Array.from({ length: 1001 }, () => 0) }, '1001 elements'],
      ['a long path', { ['p'.repeat(600)]: { ['q'.repeat(500)]: 1 } }, 'longer than 1000'],
      [
        'too many indexed properties',
        { a: Object.fromEntries(Array.from({ length: 700 }, (_, i) => [`x${i}`, [1, 2]])) },
        'more than 2000',
      ],
    ];
    for (const [label, document, says] of cases) {
      const response = await command(server, plain, { insertOne: { document } });
      expect({ label, code: response.body.errors?.[0]?.errorCode }).toEqual({
        label,
        code: 'SHRED_DOC_LIMIT_VIOLATION',
      });
      expect(response.body.errors[0].message).toContain(says);
    }
    const huge = await command(server, plain, { insertOne: { document: { s: 'x'.repeat(4_000_001) } } });
    expect(huge.body.errors[0]).toMatchObject({ errorCode: 'SHRED_DOC_LIMIT_VIOLATION', scope: 'DOCUMENT' });
    // Unindexed values are not held to the index limits.
    const narrow = `${base}/default_keyspace/narrow`;
    expect(
      (await command(server, narrow, { insertOne: { document: { s: 'x'.repeat(9000) } } })).body.status.insertedIds,
    ).toHaveLength(1);
  });

  it('reports each failed document of an unordered insertMany and inserts the rest', async () => {
    const plain = `${base}/default_keyspace/plain`;
    const response = await command(server, plain, {
      insertMany: {
        documents: [{ _id: 'm1' }, { _id: 'taken' }, { _id: 'm2', $bad: 1 }, { _id: 'm3' }],
        options: { ordered: false, returnDocumentResponses: true },
      },
    });
    expect(response.body.status.documentResponses).toEqual([
      { _id: 'm1', status: 'OK' },
      { _id: 'taken', status: 'ERROR', errorsIdx: 0 },
      { _id: 'm2', status: 'ERROR', errorsIdx: 1 },
      { _id: 'm3', status: 'OK' },
    ]);
    expect(
      response.body.errors.map((e: { errorCode: string; documentIds: unknown[] }) => [e.errorCode, e.documentIds]),
    ).toEqual([
      ['DOCUMENT_ALREADY_EXISTS', ['taken']],
      ['SHRED_BAD_FIELD_NAME', ['m2']],
    ]);
    const ordered = await command(server, plain, {
      insertMany: { documents: [{ _id: 'o1' }, { _id: 'taken' }, { _id: 'o2' }] },
    });
    expect(ordered.body.status.insertedIds).toEqual(['o1']);
    expect(ordered.body.errors).toHaveLength(1);
  });

  it('answers a sweep of malformed commands without a 500', async () => {
    const byLevel: [string, string[]][] = [
      [base, ['findKeyspaces', 'createKeyspace', 'dropKeyspace', 'findEmbeddingProviders', 'findNamespaces']],
      [`${base}/default_keyspace`, ['createCollection', 'findCollections', 'deleteCollection']],
      [
        `${base}/default_keyspace/vec`,
        [
          'find',
          'findOne',
          'insertOne',
          'insertMany',
          'updateOne',
          'updateMany',
          'deleteOne',
          'deleteMany',
          'findOneAndUpdate',
          'findOneAndReplace',
          'findOneAndDelete',
          'countDocuments',
          'estimatedDocumentCount',
        ],
      ],
    ];
    const values: unknown[] = [
      null,
      1,
      'x',
      true,
      [],
      [1],
      {},
      { $eq: [] },
      { a: { $in: [{ $date: 'x' }] } },
      { '': 1 },
      { 'a..b': 1 },
      { $vector: 'x' },
      { _id: { $uuid: 'nope' } },
      { a: { $size: -1 } },
      { $and: {} },
      { $or: [1] },
      { a: { $not: 1 } },
      { a: { $exists: 'yes' } },
    ];
    const fields = [
      'filter',
      'sort',
      'projection',
      'update',
      'replacement',
      'document',
      'documents',
      'options',
      'name',
    ];
    const raw = ['', 'null', '[]', '"find"', '{}', '{"find": 1}', '{"find": []}'];
    const requests: [string, unknown][] = [];
    for (const [path, names] of byLevel) {
      for (const body of raw) requests.push([path, body]);
      for (const name of names) {
        requests.push([path, { [name]: null }]);
        for (const field of fields) for (const value of values) requests.push([path, { [name]: { [field]: value } }]);
      }
    }
    const statuses = new Set<number>();
    for (const [path, body] of requests) {
      const response = await command(server, path, body, server.adminToken);
      statuses.add(response.status);
      if (response.status >= 500)
        throw new Error(`${path} ${JSON.stringify(body)} → ${response.status} ${response.text}`);
      if (response.body.errors) expect(response.body.errors[0].errorCode).toMatch(/^[A-Z_]+$/);
    }
    expect([...statuses]).toEqual([200]);
  }, 180_000);
});
