import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { StartupError } from '../startup-error.js';
import type { Database } from './schema.js';

function checkValue(serverKey: Buffer): string {
  return createHmac('sha256', serverKey).update('orrery server key check').digest('hex');
}

/**
 * Records the server key's check value on the store's first start and refuses a later start (or a
 * second process) whose key differs: with another key, every stored credential would be refused.
 */
export async function checkServerKey(db: Kysely<Database>, serverKey: Buffer, at: string): Promise<void> {
  const expected = checkValue(serverKey);
  await db
    .insertInto('server_key_check')
    .values({ id: 1, check_value: expected, created_at: at, probed_at: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const stored = await db
    .selectFrom('server_key_check')
    .select('check_value')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  if (!timingSafeEqual(Buffer.from(stored.check_value), Buffer.from(expected))) {
    throw new StartupError(
      'the server key does not match the one this store was first started with. Start with the original ORRERY_SECRET_KEY ' +
        '(or, without it, the secret-key file of the original data directory); with another key every stored credential would be refused.',
    );
  }
}
