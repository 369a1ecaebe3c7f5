import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { insertOrganization } from '../orgs/organization-port.js';
import { parseToken } from '../security/tokens.js';
import type { Database } from '../store/schema.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from './builtin-roles.js';
import type { TokenIssuer } from './token-issuer.js';
import { UserStore, type UserRecord } from './user-store.js';

/** Creates an organization with an Organization Administrator token; the caller owns the transaction. */
export async function createOrganization(
  db: Kysely<Database>,
  issuer: TokenIssuer,
  clock: Clock,
  name: string,
  presetToken?: string,
  email?: string,
): Promise<{ orgId: string; token: string }> {
  const orgId = randomUUID();
  await insertOrganization(db, { id: orgId, name, email, createdAt: clock.now().toISOString() });
  const issued = await issuer.issue(db, {
    orgId,
    roleIds: [ORGANIZATION_ADMINISTRATOR_ID],
    description: 'Administrator token',
    presetToken: presetToken ? parseToken(presetToken) : undefined,
  });
  return { orgId, token: issued.token };
}

/** The user `userId` of the first of `orgIds` that has one (an enterprise looking among its member organizations). */
export async function findUserIn(
  db: Kysely<Database>,
  orgIds: readonly string[],
  userId: string,
): Promise<UserRecord | undefined> {
  const users = new UserStore(db);
  for (const orgId of orgIds) {
    const user = await users.find(orgId, userId);
    if (user) return user;
  }
  return undefined;
}

/** Makes `email` an active Organization Administrator user of the organization; the caller owns the transaction. */
export async function addAdministratorUser(
  db: Kysely<Database>,
  clock: Clock,
  orgId: string,
  email: string,
): Promise<void> {
  const now = clock.now().toISOString();
  await new UserStore(db).insert({
    id: randomUUID(),
    orgId,
    email,
    status: 'active',
    roleIds: [ORGANIZATION_ADMINISTRATOR_ID],
    createdAt: now,
    updatedAt: now,
  });
}
