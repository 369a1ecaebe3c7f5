import { sql, type Kysely } from 'kysely';
import type { AuditEntry, AuditLog } from '../audit/audit-log.js';
import type { Clock } from '../clock.js';
import type { Actor } from '../kernel/principal.js';
import type { Database } from '../store/schema.js';
import { SettingsStore, type Setting } from './settings-store.js';

export interface SettingsDeps {
  db: Kysely<Database>;
  audit: AuditLog;
  clock: Clock;
  dialect: 'sqlite' | 'postgres';
}

/** Configuration documents that areas keep per database, datacenter or organization; each change is audited with it. */
export class Settings {
  constructor(private readonly deps: SettingsDeps) {}

  get<T>(scope: string, kind: string): Promise<Setting<T> | undefined> {
    return new SettingsStore(this.deps.db).get<T>(scope, kind);
  }

  list<T>(orgId: string, kind: string): Promise<Setting<T>[]> {
    return new SettingsStore(this.deps.db).list<T>(orgId, kind);
  }

  async put(actor: Actor, scope: string, kind: string, value: unknown, entry: AuditEntry): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await new SettingsStore(trx).put(actor.principal.orgId, scope, kind, value, this.deps.clock.now().toISOString());
      await this.deps.audit.record(trx, actor, entry);
    });
  }

  /**
   * Reads, changes and writes a document in one transaction that no other change to it can interleave
   * with: SQLite runs one transaction at a time, and on PostgreSQL the document is locked first.
   */
  async update<T>(
    actor: Actor,
    scope: string,
    kind: string,
    change: (current: T | undefined) => { value: T; entry: AuditEntry },
  ): Promise<T> {
    return this.deps.db.transaction().execute(async (trx) => {
      if (this.deps.dialect === 'postgres')
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`settings/${scope}/${kind}`}))`.execute(trx);
      const store = new SettingsStore(trx);
      const { value, entry } = change((await store.get<T>(scope, kind))?.value);
      await store.put(actor.principal.orgId, scope, kind, value, this.deps.clock.now().toISOString());
      await this.deps.audit.record(trx, actor, entry);
      return value;
    });
  }

  async remove(actor: Actor, scope: string, kind: string, entry: AuditEntry): Promise<boolean> {
    return this.deps.db.transaction().execute(async (trx) => {
      const removed = await new SettingsStore(trx).delete(scope, kind);
      if (removed) await this.deps.audit.record(trx, actor, entry);
      return removed;
    });
  }
}
