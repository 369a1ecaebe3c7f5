import { existsSync } from 'node:fs';
import path from 'node:path';
import { DataAPIClient, type Db } from '@datastax/astra-db-ts';
import pg from 'pg';
import { call, settle, type TestServer } from '../support/server.js';
import type { TestStore } from '../support/stores.js';

/** Creates a database through the DevOps API and waits until it serves; returns its path-form data endpoint. */
export async function createDatabase(
  server: TestServer,
  token = server.adminToken,
  body: Record<string, unknown> = {},
) {
  const created = await call(server, 'POST', '/v2/databases', {
    token,
    body: { name: 'app', cloudProvider: 'GCP', region: 'us-east1', ...body },
  });
  if (created.status !== 201) throw new Error(`database creation failed: ${created.status} ${created.text}`);
  const id = created.headers.get('location')!;
  await settle(server, token, id, 'ACTIVE');
  return { id, endpoint: `${server.url}/data/${id}-us-east1`, path: `/data/${id}-us-east1/api/json/v1` };
}

/** A Data API command sent as curl would send it: one POST with a JSON body and a Token header. */
export async function command(
  server: { url: string; adminToken?: string },
  path: string,
  body: unknown,
  token: string | null = server.adminToken ?? null,
  headers: Record<string, string> = {},
) {
  const response = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { token } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
    text,
  };
}

export function dbClient(
  token: string,
  endpoint: string,
  keyspace = 'default_keyspace',
): { client: DataAPIClient; db: Db } {
  const client = new DataAPIClient(token, { logging: [{ events: 'all', emits: [] }] });
  return { client, db: client.db(endpoint, { keyspace }) };
}

/** Whether the database's data store is still there: its SQLite file, or its PostgreSQL schema. */
export async function dataStoreExists(store: TestStore, databaseId: string): Promise<boolean> {
  if (!store.databaseUrl) return existsSync(path.join(store.dataDir, 'databases', `${databaseId}.sqlite`));
  const client = new pg.Client({ connectionString: store.databaseUrl });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
      `data_${databaseId.replaceAll('-', '')}`,
    ]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}
