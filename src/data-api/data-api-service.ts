import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { DatabaseDirectory, databaseDrn } from '../databases/database-directory.js';
import { isLive, type DatabaseRecord } from '../databases/database-records.js';
import { parseEndpointName } from '../dbauth/data-endpoints.js';
import type { DbAuthService } from '../dbauth/db-auth-service.js';
import type { Authenticator } from '../iam/authenticator.js';
import { isAllowed } from '../kernel/policy.js';
import type { Principal } from '../kernel/principal.js';
import { announceChange } from '../store/cache-notifications.js';
import { cacheKeys, type ReadCache } from '../store/read-cache.js';
import type { Database } from '../store/schema.js';
import {
  checkFields,
  type Command,
  type CommandContext,
  type CommandLevel,
  type CommandResult,
  type KeyspaceAdmin,
} from './commands/command.js';
import { DEPRECATED_NAMES, findCommand, levelsOf } from './commands/command-registry.js';
import type { DataPlane, DataStore } from './data-plane.js';
import { DataApiError, errorResponse, fail } from './data-api-errors.js';
import type { CommandLimits, DocumentLimits } from './limits.js';
import { SchemaStore, type CollectionRecord } from './schema-store.js';
import { stringifyExact } from './tables/exact-json.js';
import { isObject, type Json } from './typed-values.js';

/** Commands with these actions read or write documents and leave every schema as it was. */
const DATA_ACTIONS = new Set(['db-table-select', 'db-table-modify']);

export interface DataApiRequest {
  /** `<databaseId>-<region>`. */
  endpoint: string;
  keyspace?: string;
  collection?: string;
  token: string | undefined;
  /** The caller when Orrery has authenticated it already (the Portal's Data Explorer); `token` is then not read. */
  principal?: Principal;
  address: string;
  contentType: string | undefined;
  /** The raw body text. */
  body: string;
}

export interface DataApiResponse {
  httpStatus: number;
  /** An object, or JSON text already written (table rows, whose numbers are written exactly). */
  body: Record<string, unknown> | string;
}

export interface DataApiSettings {
  documentLimits: DocumentLimits;
  commandLimits: CommandLimits;
  maxCollections: number;
}

export interface DataApiServiceDeps {
  db: Kysely<Database>;
  authenticator: Authenticator;
  dbAuth: DbAuthService;
  dataPlane: DataPlane;
  keyspaceAdmin: KeyspaceAdmin;
  clock: Clock;
  settings: DataApiSettings;
  log: Pick<FastifyBaseLogger, 'error'>;
  /** Databases are read through it; collection definitions are kept with them. */
  cache: ReadCache;
}

/**
 * The Data API on a database's data endpoint: finds the database, authenticates the token the way
 * the per-database auth API does, decides the command with the one permission rule on the DRN it
 * touches, and runs it against the database's own data store.
 */
export class DataApiService {
  // Collection definitions by the database record (from the read cache) they were found under.
  readonly #collections = new WeakMap<DatabaseRecord, Map<string, CollectionRecord>>();

  constructor(private readonly deps: DataApiServiceDeps) {}

  async handle(request: DataApiRequest): Promise<DataApiResponse> {
    try {
      const result = await this.#handle(request);
      const body: Record<string, unknown> = {};
      if (result.data) body.data = result.data;
      if (result.status) body.status = result.status;
      if (result.errors?.length) body.errors = result.errors.map((e) => e.toJSON());
      return { httpStatus: 200, body: result.exactNumbers ? stringifyExact(body) : body };
    } catch (error) {
      if (error instanceof DataApiError) return { httpStatus: error.httpStatus, body: errorResponse([error]) };
      this.deps.log.error({ err: error }, 'data API command failed');
      const unexpected = new DataApiError(
        'UNEXPECTED_SERVER_ERROR',
        'The server failed to run the command; see its log.',
      );
      return { httpStatus: unexpected.httpStatus, body: errorResponse([unexpected]) };
    }
  }

  async #handle(request: DataApiRequest): Promise<CommandResult> {
    const database = await this.#database(request.endpoint);
    const principal = await this.#authenticate(request.token, database, request.principal);
    const refusal = await this.deps.dbAuth.refusal(database, request.address);
    if (refusal) {
      if (refusal.statusCode === 503)
        throw new DataApiError(
          'UNAVAILABLE_DATABASE',
          `The database ${database.id} is ${database.status} and does not serve requests.`,
          undefined,
          503,
        );
      throw new DataApiError(
        'UNAUTHORIZED_ACCESS',
        `Requests from ${request.address} are not in the database's access list.`,
        undefined,
        403,
      );
    }

    const level: CommandLevel = request.collection ? 'collection' : request.keyspace ? 'keyspace' : 'database';
    const { name, args } = parseBody(request);
    const command = findCommand(level, name);
    if (!command) {
      const elsewhere = levelsOf(name);
      if (elsewhere.length)
        fail(
          'COMMAND_UNKNOWN',
          `${name} is not a ${level}-level command; send it to the ${elsewhere.join(' or ')} level.`,
        );
      fail('COMMAND_UNKNOWN', `"${name}" is not a command the Data API knows at the ${level} level.`);
    }
    const body = checkFields(name, command, args);

    const resource = this.#resource(database, request, command, body);
    if (!isAllowed(principal.policies, principal.orgId, command.action, resource)) {
      fail('UNAUTHORIZED_ACCESS', `The token's roles do not grant ${command.action} on ${resource}.`);
    }

    const store = await this.deps.dataPlane.store(database.id, database.keyspaces);
    const schema = new SchemaStore(store);
    const keyspace = request.keyspace ?? '';
    // A collection exists only inside an existing keyspace, so finding it answers both questions.
    const collection = request.collection
      ? await this.#collection(database, schema, keyspace, request.collection)
      : undefined;
    if (level !== 'database' && !collection && !(await schema.hasKeyspace(keyspace)))
      fail('UNKNOWN_KEYSPACE', `The database has no keyspace named ${keyspace}.`);
    if (request.collection && !collection)
      fail(
        'UNKNOWN_COLLECTION_OR_TABLE',
        `Keyspace ${keyspace} has no collection or table named ${request.collection}.`,
      );

    const context: CommandContext = {
      database,
      actor: { principal, address: request.address },
      store,
      schema,
      clock: this.deps.clock,
      documentLimits: this.deps.settings.documentLimits,
      commandLimits: this.deps.settings.commandLimits,
      maxCollections: this.deps.settings.maxCollections,
      keyspaceAdmin: this.deps.keyspaceAdmin,
      keyspace,
      collection,
      requestBody: request.body,
    };
    const result = await command.run(context, body);
    if (!DATA_ACTIONS.has(command.action)) await this.#schemaChanged(database, store);
    return DEPRECATED_NAMES[name] ? withDeprecation(result, name, DEPRECATED_NAMES[name]) : result;
  }

  /** The database behind an endpoint name; one that does not exist and one not served there look the same. */
  async #database(endpointName: string): Promise<DatabaseRecord> {
    const endpoint = parseEndpointName(endpointName);
    const database =
      endpoint && (await new DatabaseDirectory(this.deps.db, this.deps.cache).findById(endpoint.databaseId));
    if (!database || !database.datacenters.some((dc) => isLive(dc) && dc.region === endpoint.region)) {
      throw new DataApiError(
        'UNAVAILABLE_DATABASE',
        `No database has the data endpoint ${endpointName}.`,
        undefined,
        404,
      );
    }
    return database;
  }

  /**
   * A collection's definition, kept with the cached database record it was found under. Any change to
   * the database (a keyspace dropped through the DevOps API, a status change) or to its schema replaces
   * that record in the read cache, and with it everything found under it.
   */
  async #collection(
    database: DatabaseRecord,
    schema: SchemaStore,
    keyspace: string,
    name: string,
  ): Promise<CollectionRecord | undefined> {
    let known = this.#collections.get(database);
    if (!known) this.#collections.set(database, (known = new Map<string, CollectionRecord>()));
    const key = `${keyspace}/${name}`;
    const cached = known.get(key);
    if (cached) return cached;
    const found = await schema.collection(keyspace, name);
    if (found) known.set(key, found);
    return found;
  }

  /** After a command that may have changed the database's schema: every process reads the database afresh. */
  async #schemaChanged(database: DatabaseRecord, store: DataStore): Promise<void> {
    this.deps.cache.forget(cacheKeys.database(database.id));
    if (store.dialect === 'postgres') await announceChange(store.db, cacheKeys.database(database.id));
  }

  async #authenticate(token: string | undefined, database: DatabaseRecord, known?: Principal): Promise<Principal> {
    if (!token && !known)
      fail('MISSING_AUTHENTICATION_TOKEN', 'The request has no Token (or X-Cassandra-Token) header.');
    const principal =
      known ??
      (await this.deps.authenticator.fromCredential(token!)) ??
      (await this.deps.dbAuth.validate(token!, database.id));
    if (!principal)
      fail(
        'UNAUTHENTICATED_REQUEST',
        'The token is not valid: it is unknown, revoked, expired, or for another database.',
      );
    // Another organization's token learns nothing about this database.
    if (principal.orgId !== database.orgId)
      fail('UNAUTHORIZED_ACCESS', 'The token does not grant access to this database.');
    return principal;
  }

  /** The DRN a command acts on: the database, a keyspace, or a collection (`...:keyspace:<ks>:table:<name>`). */
  #resource(database: DatabaseRecord, request: DataApiRequest, command: Command, body: Record<string, Json>): string {
    const base = databaseDrn(database.orgId, database.id);
    const named = command.target?.(body);
    if (command.level === 'database') return named ? `${base}:keyspace:${named}` : base;
    const keyspace = `${base}:keyspace:${request.keyspace}`;
    if (command.level === 'keyspace') return named ? `${keyspace}:table:${named}` : keyspace;
    return `${keyspace}:table:${request.collection}`;
  }
}

function parseBody(request: DataApiRequest): { name: string; args: Json } {
  const type = request.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && type !== 'application/json') {
    throw new DataApiError('UNSUPPORTED_CONTENT_TYPE', `The Data API takes application/json, not ${type}.`);
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(request.body) as Json;
  } catch {
    fail('REQUEST_NOT_JSON', 'The request body is not valid JSON.');
  }
  if (!isObject(parsed) || Object.keys(parsed).length !== 1) {
    fail(
      'REQUEST_STRUCTURE_MISMATCH',
      'The body must be a JSON object with exactly one command: {"<command>": {...}}.',
    );
  }
  const [name, args] = Object.entries(parsed)[0]!;
  return { name, args: args === null ? {} : args };
}

function withDeprecation(result: CommandResult, name: string, replacement: string): CommandResult {
  const warning = new DataApiError('DEPRECATED_COMMAND', `${name} is deprecated; use ${replacement}.`).toJSON();
  return { ...result, status: { ...result.status, warnings: [warning] } };
}
