import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import { databaseDrn, requireDatabase } from '../databases/database-directory.js';
import { isAllowed } from '../kernel/policy.js';
import type { Actor, Principal } from '../kernel/principal.js';
import { addressAllowed, normalizeAddress, parseAclEntries, type AclEntryInput } from '../security/address-list.js';
import { cacheKeys, type ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import { AccessListStore, type DatabaseAccessList } from './access-list-store.js';

export interface AccessListChange {
  addresses?: AclEntryInput[];
  configurations?: { accessListEnabled?: boolean };
}

export interface AccessListServiceDeps {
  db: Kysely<Database>;
  audit: AuditLog;
  clock: Clock;
  cache: ReadCache;
}

/** Per-database IP access lists: who may reach a database's data endpoints. */
export class AccessListService {
  constructor(private readonly deps: AccessListServiceDeps) {}

  /** While a database's list is enabled, only addresses in its enabled entries may reach it. */
  async admits(orgId: string, databaseId: string, address: string): Promise<boolean> {
    const list = await this.deps.cache.get(cacheKeys.databaseAccessList(databaseId), () =>
      new AccessListStore(this.deps.db).get(orgId, databaseId),
    );
    return !list.enabled || addressAllowed(list.entries, address);
  }

  async get(principal: Principal, databaseId: string): Promise<DatabaseAccessList> {
    await requireDatabase(this.deps.db, principal.orgId, databaseId);
    return new AccessListStore(this.deps.db).get(principal.orgId, databaseId);
  }

  /** Every list in the organization on a database the caller may read lists of. */
  async listForOrg(principal: Principal): Promise<DatabaseAccessList[]> {
    const store = new AccessListStore(this.deps.db);
    const ids = (await store.databasesWithLists(principal.orgId)).filter((id) =>
      isAllowed(principal.policies, principal.orgId, 'accesslist-read', databaseDrn(principal.orgId, id)),
    );
    return Promise.all(ids.map((id) => store.get(principal.orgId, id)));
  }

  /** Adds or updates entries. A database's first entries create its list, enabled. */
  async add(actor: Actor, databaseId: string, addresses: AclEntryInput[]): Promise<void> {
    await this.#write(actor, databaseId, 'ADD_ACCESS_LIST_ADDRESSES', { addresses }, false);
  }

  /** Replaces the whole list. */
  async replace(actor: Actor, databaseId: string, change: AccessListChange): Promise<void> {
    await this.#write(actor, databaseId, 'REPLACE_ACCESS_LIST', change, true);
  }

  /** Changes only what is given: the entries named, and whether the list is enabled. */
  async update(actor: Actor, databaseId: string, change: AccessListChange): Promise<void> {
    await this.#write(actor, databaseId, 'UPDATE_ACCESS_LIST', change, false);
  }

  /** Upserts the given entries (after dropping the rest, when replacing); a new list starts enabled. */
  async #write(
    actor: Actor,
    databaseId: string,
    action: string,
    change: AccessListChange,
    replaceEntries: boolean,
  ): Promise<void> {
    await this.#change(actor, databaseId, action, async (store, current, at) => {
      const entries = parseAclEntries(change.addresses ?? [], at);
      const enabled = change.configurations?.accessListEnabled ?? (current.exists ? current.enabled : true);
      await store.save(actor.principal.orgId, databaseId, enabled, at);
      if (replaceEntries) await store.removeEntries(databaseId);
      await store.upsertEntries(databaseId, entries);
    });
  }

  /** Removes the given addresses, or the whole list when none are given. */
  async remove(actor: Actor, databaseId: string, addresses?: string[]): Promise<void> {
    await this.#change(actor, databaseId, 'DELETE_ACCESS_LIST', async (store) => {
      if (!addresses) return store.remove(databaseId);
      // Entries are stored canonically, so the addresses to remove are read the same way; unknown text matches nothing.
      await store.removeEntries(
        databaseId,
        addresses.map((a) => normalizeAddress(a) ?? a),
      );
    });
  }

  async #change(
    actor: Actor,
    databaseId: string,
    action: string,
    write: (store: AccessListStore, current: DatabaseAccessList, at: string) => Promise<void>,
  ): Promise<void> {
    const orgId = actor.principal.orgId;
    await this.deps.db.transaction().execute(async (trx) => {
      await requireDatabase(trx, orgId, databaseId);
      const store = new AccessListStore(trx);
      await write(store, await store.get(orgId, databaseId), this.deps.clock.now().toISOString());
      const after = await store.get(orgId, databaseId);
      await this.deps.audit.record(trx, actor, {
        action,
        resource: databaseId,
        details: {
          enabled: after.enabled,
          addresses: after.entries.map((e) => ({ address: e.address, enabled: e.enabled })),
        },
      });
    });
    this.deps.cache.forget(cacheKeys.databaseAccessList(databaseId));
  }
}
