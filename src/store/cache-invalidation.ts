import {
  DeleteQueryNode,
  InsertQueryNode,
  TableNode,
  UpdateQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { ReadCache } from './read-cache.js';

/** Cached kinds whose values are built from several rows, forgotten whole when this process writes any of them. */
const KIND_OF_TABLE: Record<string, string> = { databases: 'database', datacenters: 'database' };

function tableOf(node: OperationNode | undefined): string | undefined {
  return node && TableNode.is(node) ? node.table.identifier.name : undefined;
}

function writtenTable(node: RootOperationNode): string | undefined {
  if (InsertQueryNode.is(node)) return tableOf(node.into);
  if (UpdateQueryNode.is(node)) return tableOf(node.table);
  if (DeleteQueryNode.is(node)) return tableOf(node.from.froms[0]);
  return undefined;
}

/**
 * Forgets cached database records as soon as this process writes a database or datacenter row, in
 * whatever code path: after the statement ran, so that no read queued behind it can bring the old
 * row back. Other processes learn of the change from the store's notices (cache-notifications.ts).
 */
export function cacheInvalidation(cache: ReadCache): KyselyPlugin {
  const pending = new WeakMap<QueryId, string>();
  return {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      const table = writtenTable(node);
      const kind = table && KIND_OF_TABLE[table];
      if (kind) pending.set(queryId, kind);
      return node;
    },
    transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const kind = pending.get(queryId);
      if (kind) cache.forgetKind(kind);
      return Promise.resolve(result);
    },
  };
}
