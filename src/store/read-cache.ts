/**
 * Keeps the few rows that every request reads (a token, its organization's custom roles and access
 * list, the organization) in memory, and forgets them when this process changes them.
 *
 * That is only correct where this process is the store's sole writer: the embedded SQLite store. On
 * PostgreSQL, where several processes share the store, the cache is off and every read goes to the
 * store, so that a revocation made by one process is refused by every other on its next request.
 */
export class ReadCache {
  readonly #entries = new Map<string, unknown>();
  // Bumped by every forget; a load that started before a forget does not store its (possibly stale) result.
  #generation = 0;

  constructor(
    readonly enabled: boolean,
    private readonly maxEntries = 50_000,
  ) {}

  /** The cached value, or the loaded one. Undefined results (unknown ids) are never kept. */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    if (this.#entries.has(key)) return this.#entries.get(key) as T;
    const generation = this.#generation;
    const value = await load();
    if (value !== undefined && generation === this.#generation) {
      if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(key, value);
    }
    return value;
  }

  forget(key: string): void {
    this.#generation += 1;
    this.#entries.delete(key);
  }

  /** Forgets everything, for when the whole state was replaced (emulator reset and restore). */
  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
  }
}

export const cacheKeys = {
  token: (clientId: string) => `token:${clientId}`,
  customRoles: (orgId: string) => `roles:${orgId}`,
  devopsAcl: (orgId: string) => `acl:${orgId}`,
  databaseAccessList: (databaseId: string) => `db-acl:${databaseId}`,
  org: (orgId: string) => `org:${orgId}`,
};
