import { BUILTIN_ROLES, DATA_GATEWAY_ID } from '../src/iam/builtin-roles.js';

/** A JSON POST that must succeed (a Data API answer with errors counts as a failure). */
export async function post(url: string, body: unknown, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}`, token } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok || text.includes('"errors"')) throw new Error(`${url}: ${response.status} ${text.slice(0, 300)}`);
  return { response, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** Creates a database and waits (bounded) until it is ACTIVE; its id. */
export async function activeDatabase(url: string, token: string, name = 'bench'): Promise<string> {
  const created = await post(`${url}/v2/databases`, { name, cloudProvider: 'GCP', region: 'us-east1' }, token);
  const id = created.response.headers.get('location')!;
  for (let i = 0; i < 200; i++) {
    const response = await fetch(`${url}/v2/databases/${id}`, { headers: { authorization: `Bearer ${token}` } });
    if (((await response.json()) as { status: string }).status === 'ACTIVE') return id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`database ${id} did not become ACTIVE`);
}

/** A gateway token, an R/W User application token and a per-database auth token made from the latter. */
export async function gatewayCredentials(url: string, admin: string, databaseId: string) {
  const gateway = (await post(`${url}/v2/tokens`, { roles: [DATA_GATEWAY_ID] }, admin)).body.token as string;
  const rwUser = BUILTIN_ROLES.find((r) => r.name === 'R/W User')!.id;
  const app = (await post(`${url}/v2/tokens`, { roles: [rwUser] }, admin)).body as {
    token: string;
    clientId: string;
    secret: string;
  };
  const authToken = (
    await post(`${url}/data/${databaseId}-us-east1/api/rest/v1/auth`, { username: app.clientId, password: app.secret })
  ).body.authToken as string;
  return { gateway, appToken: app.token, authToken };
}

/** The body of a gateway check of `credential` selecting a table of the database. */
export function gatewayCheck(credential: string, databaseId: string) {
  return {
    method: 'POST' as const,
    body: { credential, address: '127.0.0.1', databaseId, keyspace: 'app', table: 'users', action: 'db-table-select' },
  };
}
