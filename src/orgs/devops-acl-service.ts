import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { notFound } from '../http/errors.js';
import { orgDrn } from '../iam/policy.js';
import type { Actor } from '../iam/principal.js';
import { addressAllowed, parseAclEntries, type AclEntryInput } from '../security/address-list.js';
import { cacheKeys, type ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import { DevopsAclStore, type DevopsAcl } from './devops-acl-store.js';

/** The organization's IP access list for the DevOps API itself. */
export class DevopsAclService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly cache: ReadCache,
  ) {}

  /** While the list is enabled, only addresses in its enabled entries may call the DevOps API. */
  async admits(orgId: string, address: string): Promise<boolean> {
    const acl = await this.cache.get(cacheKeys.devopsAcl(orgId), () => new DevopsAclStore(this.db).get(orgId));
    return !acl.enabled || addressAllowed(acl.entries, address);
  }

  async get(actor: Actor, orgId: string): Promise<DevopsAcl> {
    this.#sameOrg(actor, orgId);
    return new DevopsAclStore(this.db).get(orgId);
  }

  /** Adds or updates entries; the first entries create the list and enable it. */
  async append(actor: Actor, orgId: string, input: AclEntryInput[]): Promise<DevopsAcl> {
    return this.#change(actor, orgId, input, 'ADD_DEVOPS_ACCESS_LIST_ENTRIES', false);
  }

  /** Replaces the whole list; an empty list turns the check off. */
  async replace(actor: Actor, orgId: string, input: AclEntryInput[]): Promise<DevopsAcl> {
    return this.#change(actor, orgId, input, 'REPLACE_DEVOPS_ACCESS_LIST', true);
  }

  async #change(actor: Actor, orgId: string, input: AclEntryInput[], action: string, replace: boolean): Promise<DevopsAcl> {
    this.#sameOrg(actor, orgId);
    const entries = parseAclEntries(input, this.clock.now().toISOString());
    const changed = await this.db.transaction().execute(async (trx) => {
      const store = new DevopsAclStore(trx);
      if (replace) await store.clear(orgId);
      await store.upsert(orgId, entries);
      const after = await store.get(orgId);
      await store.setEnabled(orgId, after.entries.length > 0);
      await this.audit.record(trx, actor, {
        action,
        resource: orgDrn(orgId),
        details: { addresses: entries.map((e) => ({ address: e.address, enabled: e.enabled })) },
      });
      return { ...after, enabled: after.entries.length > 0 };
    });
    this.cache.forget(cacheKeys.devopsAcl(orgId));
    return changed;
  }

  #sameOrg(actor: Actor, orgId: string): void {
    // Another organization's list is reported as absent, not forbidden, so nothing is learned about it.
    if (orgId !== actor.principal.orgId) throw notFound(`No organization ${orgId}.`);
  }
}
