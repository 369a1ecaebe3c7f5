import type { FastifyReply, FastifyRequest } from 'fastify';

export interface JournalEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** The client id of the token (or service account) that called, when one authenticated. */
  caller: string | null;
  /** HTTP version the client spoke: 1.1 or 2.0. */
  httpVersion: string;
  body: unknown;
}

export interface JournalFilter {
  method?: string;
  /** Part of the path. */
  path?: string;
  status?: number;
  caller?: string;
  limit?: number;
}

/** Keys whose values never reach the journal, matched case-insensitively in any part of the key. */
const SECRET_KEY = /token|secret|password|passwd|authorization|credential|private_?key|api_?key/i;
export const MASK = '***';

/** A copy of a request body with every secret-looking field's value masked, at any depth. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? MASK : maskSecrets(v)]));
}

/** The last N requests this process served, newest last; for test suites to see what their client sent. */
export class RequestJournal {
  readonly #entries: JournalEntry[] = [];
  // Bodies as the client sent them: validation later fills in defaults.
  readonly #sentBodies = new WeakMap<FastifyRequest, unknown>();

  constructor(private readonly size: number) {}

  /** Keeps a masked copy of the body before validation changes it. */
  capture(request: FastifyRequest): void {
    if (this.size > 0 && request.body !== undefined) this.#sentBodies.set(request, maskSecrets(request.body));
  }

  record(request: FastifyRequest, reply: FastifyReply, at: Date): void {
    if (this.size === 0) return;
    this.#entries.push({
      at: at.toISOString(),
      method: request.method,
      path: request.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      caller: request.principal?.clientId ?? null,
      httpVersion: request.raw.httpVersion,
      body: this.#sentBodies.get(request) ?? null,
    });
    if (this.#entries.length > this.size) this.#entries.splice(0, this.#entries.length - this.size);
  }

  list(filter: JournalFilter = {}): JournalEntry[] {
    const matches = this.#entries.filter(
      (e) =>
        (!filter.method || e.method === filter.method.toUpperCase()) &&
        (!filter.path || e.path.includes(filter.path)) &&
        (filter.status === undefined || e.status === filter.status) &&
        (!filter.caller || e.caller === filter.caller),
    );
    return filter.limit ? matches.slice(-filter.limit) : matches;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
