import type { FastifyBaseLogger } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { RegionCatalogue } from './databases/regions.js';
import { resolveSecretKey } from './security/secret-key.js';
import { openStore, waitForStore, type Store } from './store/database.js';
import { migrateToLatest } from './store/migrate.js';
import { checkServerKey } from './store/server-key-check.js';

/** The control store ready for use, with the server key it was checked against and the regions it serves. */
export interface ControlStore {
  store: Store;
  serverKey: Buffer;
  regions: RegionCatalogue;
}

/**
 * Opens the control store as the server and the operator commands both need it: the regions file read,
 * the store reached (waiting for it up to ORRERY_STORE_WAIT), migrated, and the server key checked
 * against the one it was first started with. The store is closed again when a step fails.
 */
export async function openControlStore(
  config: Config,
  log: Pick<FastifyBaseLogger, 'warn'>,
  clock: Clock = systemClock,
): Promise<ControlStore> {
  const regions = config.regionsFile ? RegionCatalogue.fromFile(config.regionsFile) : new RegionCatalogue();
  const store = openStore(config, log);
  try {
    await waitForStore(store, config.storeWaitSeconds, log);
    await migrateToLatest(store.db);
    const serverKey = resolveSecretKey(config.secretKey, config.dataDir);
    await checkServerKey(store.db, serverKey, clock.now().toISOString());
    return { store, serverKey, regions };
  } catch (error) {
    await store.close();
    throw error;
  }
}
