import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { createOrganization } from '../iam/organization-setup.js';
import type { TokenIssuer } from '../iam/token-issuer.js';
import type { Database } from '../store/schema.js';
import { EnterpriseStore } from './enterprise-store.js';

export interface BootstrapResult {
  orgId: string;
  /** True only on the start that created the organization. */
  created: boolean;
  /** The admin token, when this start generated it (a preset one is already known to its owner). */
  generatedToken?: string;
}

export const BOOTSTRAP_ORG_NAME = 'Default Organization';
export const BOOTSTRAP_ENTERPRISE_NAME = 'Default Enterprise';

/**
 * An organization's first token cannot be made through the API, so the first start against an
 * empty store makes one. The installation row is written in the same transaction, and its
 * single-row key makes concurrent first starts on one PostgreSQL agree on a single winner.
 */
export async function bootstrap(
  db: Kysely<Database>,
  issuer: TokenIssuer,
  clock: Clock,
  presetToken: string | undefined,
): Promise<BootstrapResult> {
  const existing = await db.selectFrom('installation').select('org_id').executeTakeFirst();
  if (existing) return { orgId: existing.org_id, created: false };

  try {
    return await db.transaction().execute(async (trx) => {
      const { orgId, token } = await createOrganization(trx, issuer, clock, BOOTSTRAP_ORG_NAME, presetToken);
      const now = clock.now().toISOString();
      await trx.insertInto('installation').values({ id: 1, org_id: orgId, created_at: now }).execute();
      // Its administrators own an enterprise, so enterprise tokens and member organizations can be made.
      await new EnterpriseStore(trx).insert({
        id: randomUUID(),
        name: BOOTSTRAP_ENTERPRISE_NAME,
        primaryOrgId: orgId,
        createdAt: now,
      });
      return { orgId, created: true, generatedToken: presetToken ? undefined : token };
    });
  } catch (error) {
    const winner = await db.selectFrom('installation').select('org_id').executeTakeFirst();
    if (winner) return { orgId: winner.org_id, created: false };
    throw error;
  }
}
