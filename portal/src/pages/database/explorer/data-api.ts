import { useCallback } from 'react';
import { api, ApiFailure } from '../../../api/client';
import type { DatabaseView } from '../../../api/views';

/** Where a command goes: the database, one of its keyspaces, or a collection (or table) in one. */
export interface Target {
  keyspace?: string;
  collection?: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Document = { _id?: Json } & Record<string, Json>;

export interface CommandAnswer {
  status?: Record<string, unknown>;
  data?: Record<string, unknown>;
}

export type RunCommand = (target: Target, command: Record<string, unknown>) => Promise<CommandAnswer>;

/**
 * Runs Data API commands on a database with the Portal's session: they go through Orrery's own
 * route, which decides each with the signed-in user's roles, so the page never holds a token.
 * The Data API reports most failures in its `errors` array with HTTP 200; both kinds are thrown.
 */
export function useDataApi(database: DatabaseView): RunCommand {
  const databaseId = database.id;
  const region = database.info.region;
  return useCallback(
    async (target, command) => {
      const { data, error, response } = await api.POST('/v2/databases/{databaseId}/data-api', {
        params: { path: { databaseId } },
        body: { region, ...target, command },
      });
      const answer = data ?? error;
      const problem = answer?.errors?.[0];
      if (problem) throw new ApiFailure(response.status, problem.message);
      if (!response.ok || !data)
        throw new ApiFailure(response.status, `The command failed with status ${response.status}.`);
      return data;
    },
    [databaseId, region],
  );
}

/** Parses a JSON field of a form, saying which field is wrong; empty text is `undefined`. */
export function parseJsonField(label: string, text: string): Record<string, Json> | undefined {
  if (!text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${label} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${label} must be a JSON object, like {"name": "value"}.`);
  return value as Record<string, Json>;
}
