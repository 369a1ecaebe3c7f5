import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { OrgStore } from './org-store.js';
import type { Organization } from './organization.js';

/*
 * What other areas may do to organizations. Each takes the connection or the transaction of the caller,
 * so that an organization is created, or locked, in the same transaction as the credentials that go with it.
 */

export async function insertOrganization(db: Kysely<Database>, org: Organization): Promise<void> {
  await new OrgStore(db).insert(org);
}

/** Holds the organization's row until the caller's transaction ends (see `OrgStore.lock`). */
export async function lockOrganization(db: Kysely<Database>, id: string): Promise<void> {
  await new OrgStore(db).lock(id);
}

export function findOrganization(db: Kysely<Database>, id: string): Promise<Organization | undefined> {
  return new OrgStore(db).find(id);
}
