import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { OrgStore } from '../orgs/org-store.js';
import { parseToken } from '../security/tokens.js';
import type { Database } from '../store/schema.js';
import { ORGANIZATION_ADMINISTRATOR_ID } from './builtin-roles.js';
import type { TokenIssuer } from './token-issuer.js';
import { TokenStore } from './token-store.js';

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
  await new OrgStore(db).insert({ id: orgId, name, email, createdAt: clock.now().toISOString() });
  const issued = await issuer.issue(new TokenStore(db), {
    orgId,
    roleIds: [ORGANIZATION_ADMINISTRATOR_ID],
    description: 'Administrator token',
    presetToken: presetToken ? parseToken(presetToken) : undefined,
  });
  return { orgId, token: issued.token };
}
