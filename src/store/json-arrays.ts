import { PostgresIntrospector, sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from './schema.js';

/**
 * True where `column`, a JSON array of strings kept as text, has `value` as one of its elements: the
 * whole element, compared exactly (never a substring, a pattern or a case-insensitive match). The two
 * stores spell it differently; the connection's introspector tells which one it is.
 */
export function jsonArrayHas(db: Kysely<Database>, column: string, value: string): Expression<SqlBool> {
  const array = sql.ref(column);
  return db.introspection instanceof PostgresIntrospector
    ? sql<SqlBool>`(${array})::jsonb @> jsonb_build_array(${value}::text)`
    : sql<SqlBool>`exists (select 1 from json_each(${array}) where json_each.value = ${value})`;
}
