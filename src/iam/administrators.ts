import type { Kysely } from 'kysely';
import { conflict } from '../kernel/errors.js';
import { lockOrganization } from '../orgs/organization-port.js';
import type { Database } from '../store/schema.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from './builtin-roles.js';
import { TokenStore } from './token-store.js';
import { UserStore } from './user-store.js';

export function holdsAdministrator(roleIds: readonly string[]): boolean {
  return roleIds.includes(ORGANIZATION_ADMINISTRATOR_ID);
}

/**
 * An organization always keeps a way in: a change that would leave it without a live credential
 * holding Organization Administrator (an unexpired organization token or an active user) is refused.
 * Runs inside the transaction that makes the change, with the organization locked first, so that two
 * concurrent changes cannot each take away "the other" administrator.
 */
export async function assertAdministratorRemains(
  db: Kysely<Database>,
  orgId: string,
  now: Date,
  leaving: { clientId?: string; userId?: string },
): Promise<void> {
  await lockOrganization(db, orgId);
  const tokens = await new TokenStore(db).countHoldingRole(orgId, ORGANIZATION_ADMINISTRATOR_ID, {
    liveAt: now.toISOString(),
    exceptClientId: leaving.clientId,
  });
  const users = await new UserStore(db).countHoldingRole(orgId, ORGANIZATION_ADMINISTRATOR_ID, {
    activeOnly: true,
    exceptUserId: leaving.userId,
  });
  if (tokens + users === 0) {
    throw conflict(
      'This is the last credential holding Organization Administrator; create another administrator token or user first.',
    );
  }
}
