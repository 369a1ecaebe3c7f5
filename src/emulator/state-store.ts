import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** Tables outside the state the emulator resets and snapshots. */
const KEPT = new Set(['emulator_snapshots']);
/** Tables other tables' foreign keys point at: written first, emptied last. */
const PARENTS = ['organizations', 'databases'];

export type StateContent = Record<string, Record<string, unknown>[]>;

/** A saved state: the control store's tables, and each database's data store by database id. */
export interface Snapshot {
  control: StateContent;
  dataStores: Record<string, Record<string, unknown[]>>;
}

/** Reads and replaces the whole state, every table at once, for reset and snapshots. */
export class StateStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  /** The state's tables, parents first. */
  async tables(): Promise<string[]> {
    // On PostgreSQL each database's Data API store is a schema of its own; the state is the control store's.
    const names = (await this.db.introspection.getTables())
      .filter((t) => this.dialect !== 'postgres' || t.schema === 'public')
      .map((t) => t.name)
      .filter((n) => !KEPT.has(n) && !n.startsWith('kysely_migration'));
    const rank = (name: string) => (PARENTS.includes(name) ? PARENTS.indexOf(name) : PARENTS.length);
    return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }

  /** The ids of every database in the state, terminated ones included. */
  async databaseIds(): Promise<string[]> {
    return (await this.db.selectFrom('databases').select('id').execute()).map((r) => r.id);
  }

  /** Every row of every table, read in one transaction so the copy is consistent. */
  async read(): Promise<StateContent> {
    const tables = await this.tables();
    const reader =
      this.dialect === 'postgres' ? this.db.transaction().setIsolationLevel('repeatable read') : this.db.transaction();
    return reader.execute(async (trx) => {
      const content: StateContent = {};
      for (const table of tables)
        content[table] = await trx
          .selectFrom(table as keyof Database)
          .selectAll()
          .execute();
      return content;
    });
  }

  /** Replaces the whole state with `content` (empty when not given) in one transaction. */
  async replace(content: StateContent = {}): Promise<void> {
    const tables = await this.tables();
    await this.db.transaction().execute(async (trx) => {
      for (const table of [...tables].reverse()) await trx.deleteFrom(table as keyof Database).execute();
      for (const table of tables) {
        const rows = content[table] ?? [];
        // Batches keep each statement under the stores' limits on bound parameters.
        for (let i = 0; i < rows.length; i += 100)
          await trx
            .insertInto(table as keyof Database)
            .values(rows.slice(i, i + 100))
            .execute();
      }
    });
  }

  async saveSnapshot(name: string, content: Snapshot, at: string): Promise<void> {
    const row = { name, created_at: at, content: JSON.stringify(content) };
    await this.db
      .insertInto('emulator_snapshots')
      .values(row)
      .onConflict((oc) => oc.column('name').doUpdateSet({ created_at: at, content: row.content }))
      .execute();
  }

  async snapshot(name: string): Promise<Snapshot | undefined> {
    const row = await this.db
      .selectFrom('emulator_snapshots')
      .select('content')
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) return undefined;
    const content = JSON.parse(row.content) as Snapshot | StateContent;
    // Snapshots saved before data stores were included hold the control tables alone.
    return 'control' in content && 'dataStores' in content
      ? (content as Snapshot)
      : { control: content, dataStores: {} };
  }

  async listSnapshots(): Promise<{ name: string; createdAt: string }[]> {
    const rows = await this.db
      .selectFrom('emulator_snapshots')
      .select(['name', 'created_at'])
      .orderBy('name')
      .execute();
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at }));
  }

  async deleteSnapshot(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('emulator_snapshots').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
