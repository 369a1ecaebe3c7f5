import type { Clock } from '../clock.js';

interface Entry {
  value: unknown;
  loadedAt: number;
}

export interface ReadCacheOptions {
  /** Time source for `maxAgeMs`. */
  clock?: Clock;
  /** Entries older than this are loaded again; a bound on staleness should a change notice be lost. */
  maxAgeMs?: number;
  maxEntries?: number;
}

/**
 * Keeps the few rows that every request reads (a token, its organization's custom roles and access
 * lists, the organization, a database with its datacenters) in memory, and forgets them when they change.
 *
 * On the embedded SQLite store this process is the only writer and forgets what it changes itself. On
 * PostgreSQL, every process also forgets what any process changed, told by the store (see
 * cache-notifications.ts); while that notice channel is down the cache is suspended, and entries older
 * than `maxAgeMs` are never served, so a change is seen everywhere within that time whatever happens.
 */
export class ReadCache {
  // By kind (the key's part before the first colon), so that a kind can be forgotten at once.
  readonly #kinds = new Map<string, Map<string, Entry>>();
  #size = 0;
  // Bumped by every forget; a load that started before a forget does not store its (possibly stale) result.
  #generation = 0;
  #suspended = false;
  readonly #clock: Clock | undefined;
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;

  constructor(options: ReadCacheOptions = {}) {
    this.#clock = options.clock;
    this.#maxAgeMs = options.maxAgeMs ?? Infinity;
    this.#maxEntries = options.maxEntries ?? 50_000;
  }

  get enabled(): boolean {
    return !this.#suspended;
  }

  /** The cached value, or the loaded one. Undefined results (unknown ids) are never kept. */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    const now = this.#now();
    const kind = kindOf(key);
    const entry = this.#kinds.get(kind)?.get(key);
    if (entry && now - entry.loadedAt < this.#maxAgeMs) return entry.value as T;
    const generation = this.#generation;
    const value = await load();
    if (value !== undefined && generation === this.#generation && !this.#suspended) this.#keep(kind, key, value, now);
    return value;
  }

  forget(key: string): void {
    this.#generation += 1;
    const entries = this.#kinds.get(kindOf(key));
    if (entries?.delete(key)) this.#size -= 1;
  }

  /** Forgets every entry of a kind (`database`, `token`, ...), for changes that name no single key. */
  forgetKind(kind: string): void {
    this.#generation += 1;
    const entries = this.#kinds.get(kind);
    if (!entries) return;
    this.#size -= entries.size;
    entries.clear();
  }

  /** Forgets everything, for when the whole state was replaced (emulator reset and restore). */
  clear(): void {
    this.#generation += 1;
    this.#kinds.clear();
    this.#size = 0;
  }

  /** Stops serving and keeping entries until `resume`, for while change notices may be missed. */
  suspend(): void {
    this.#suspended = true;
    this.clear();
  }

  /** Serves again, from nothing: whatever changed while suspended is read afresh. */
  resume(): void {
    this.clear();
    this.#suspended = false;
  }

  #keep(kind: string, key: string, value: unknown, now: number): void {
    let entries = this.#kinds.get(kind);
    if (!entries) this.#kinds.set(kind, (entries = new Map<string, Entry>()));
    if (!entries.has(key)) {
      // Full: the oldest entry of the same kind makes room.
      if (this.#size >= this.#maxEntries && entries.size > 0) entries.delete(entries.keys().next().value!);
      else this.#size += 1;
    }
    entries.set(key, { value, loadedAt: now });
  }

  #now(): number {
    return this.#maxAgeMs === Infinity || !this.#clock ? 0 : this.#clock.now().getTime();
  }
}

function kindOf(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? key : key.slice(0, colon);
}

export const cacheKeys = {
  token: (clientId: string) => `token:${clientId}`,
  customRoles: (orgId: string) => `roles:${orgId}`,
  devopsAcl: (orgId: string) => `acl:${orgId}`,
  databaseAccessList: (databaseId: string) => `db-acl:${databaseId}`,
  org: (orgId: string) => `org:${orgId}`,
  database: (databaseId: string) => `database:${databaseId}`,
};
