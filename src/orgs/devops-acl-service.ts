import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { ApiError, ErrorIds, conflict, notFound } from '../kernel/errors.js';
import { orgDrn } from '../kernel/policy.js';
import type { Actor } from '../kernel/principal.js';
import { addressAllowed, parseAclEntries, type AclEntryInput } from '../security/address-list.js';
import { cacheKeys, type ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import { DevopsAclStore, type DevopsAcl } from './devops-acl-store.js';

export interface ChangeOptions {
  /** The caller accepts that the changed list refuses its own current address. */
  allowSelfLockout: boolean;
}

export interface DevopsAclServiceDeps {
  db: Kysely<Database>;
  audit: AuditLog;
  clock: Clock;
  cache: ReadCache;
}

/** The organization's IP access list for the DevOps API itself. */
export class DevopsAclService {
  constructor(private readonly deps: DevopsAclServiceDeps) {}

  /** While the list is enabled, only addresses in its enabled entries may call the DevOps API on the organization. */
  async assertAdmits(orgId: string, address: string): Promise<void> {
    const acl = await this.deps.cache.get(cacheKeys.devopsAcl(orgId), () =>
      new DevopsAclStore(this.deps.db).get(orgId),
    );
    if (acl.enabled && !addressAllowed(acl.entries, address)) {
      throw new ApiError(
        403,
        ErrorIds.addressNotAllowed,
        `Requests from ${address} are not in the organization's DevOps API access list.`,
      );
    }
  }

  async get(actor: Actor, orgId: string): Promise<DevopsAcl> {
    this.#sameOrg(actor, orgId);
    return new DevopsAclStore(this.deps.db).get(orgId);
  }

  /** Adds or updates entries; the first enabled entries create the list and enable it. */
  async append(actor: Actor, orgId: string, input: AclEntryInput[], options: ChangeOptions): Promise<DevopsAcl> {
    return this.#change(actor, orgId, input, 'ADD_DEVOPS_ACCESS_LIST_ENTRIES', false, options);
  }

  /** Replaces the whole list; a list with no enabled entry turns the check off. */
  async replace(actor: Actor, orgId: string, input: AclEntryInput[], options: ChangeOptions): Promise<DevopsAcl> {
    return this.#change(actor, orgId, input, 'REPLACE_DEVOPS_ACCESS_LIST', true, options);
  }

  async #change(
    actor: Actor,
    orgId: string,
    input: AclEntryInput[],
    action: string,
    replace: boolean,
    options: ChangeOptions,
  ): Promise<DevopsAcl> {
    this.#sameOrg(actor, orgId);
    const entries = parseAclEntries(input, this.deps.clock.now().toISOString());
    const changed = await this.deps.db.transaction().execute(async (trx) => {
      const store = new DevopsAclStore(trx);
      if (replace) await store.clear(orgId);
      await store.upsert(orgId, entries);
      const enabled = (await store.get(orgId)).entries.some((e) => e.enabled);
      await store.setEnabled(orgId, enabled);
      const after = await store.get(orgId);
      if (after.enabled && !addressAllowed(after.entries, actor.address) && !options.allowSelfLockout) {
        throw conflict(
          `The list would refuse the address this request comes from (${actor.address}). Add it, or repeat the request with ?allowSelfLockout=true to apply the list anyway.`,
        );
      }
      await this.deps.audit.record(trx, actor, {
        action,
        resource: orgDrn(orgId),
        details: { addresses: entries.map((e) => ({ address: e.address, enabled: e.enabled })), enabled },
      });
      return after;
    });
    this.deps.cache.forget(cacheKeys.devopsAcl(orgId));
    return changed;
  }

  #sameOrg(actor: Actor, orgId: string): void {
    // Another organization's list is reported as absent, not forbidden, so nothing is learned about it.
    if (orgId !== actor.principal.orgId) throw notFound(`No organization ${orgId}.`);
  }
}
