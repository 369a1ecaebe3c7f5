import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseEndpointName, DATA_PATH_PREFIX } from '../dbauth/data-endpoints.js';

const OPERATIONS: Record<string, string> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
};

/** The figures /metrics serves (Prometheus text format), kept per server process. */
export class Metrics {
  readonly registry = new Registry();
  readonly #requests = new Counter({
    name: 'orrery_http_requests_total',
    help: 'HTTP requests served, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly #latency = new Histogram({
    name: 'orrery_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly #authFailures = new Counter({
    name: 'orrery_auth_failures_total',
    help: 'Requests refused for their credential (401), permission (403) or failure rate (429)',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly #dataRequests = new Counter({
    name: 'orrery_data_endpoint_requests_total',
    help: "Requests to databases' data endpoints, by database and status",
    labelNames: ['database', 'status'],
    registers: [this.registry],
  });
  readonly #storeLatency = new Histogram({
    name: 'orrery_store_query_duration_seconds',
    help: 'Time the store takes per query, by operation',
    labelNames: ['operation'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });

  /** `lifecycleJobs` counts the queued lifecycle steps: all of them, and those past their due time. */
  constructor(lifecycleJobs: () => Promise<{ pending: number; overdue: number }>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'orrery_' });
    const jobs = { last: Promise.resolve({ pending: 0, overdue: 0 }) };
    const read = () => (jobs.last = lifecycleJobs());
    new Gauge({
      name: 'orrery_lifecycle_jobs_pending',
      help: 'Lifecycle steps queued in the store',
      registers: [this.registry],
      collect: async function () {
        this.set((await read()).pending);
      },
    });
    new Gauge({
      name: 'orrery_lifecycle_jobs_overdue',
      help: 'Lifecycle steps more than five seconds past their due time',
      registers: [this.registry],
      collect: async function () {
        this.set((await jobs.last).overdue);
      },
    });
  }

  observeRequest(request: FastifyRequest, reply: FastifyReply): void {
    const status = String(reply.statusCode);
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status };
    this.#requests.inc(labels);
    this.#latency.observe(labels, reply.elapsedTime / 1000);
    if (reply.statusCode === 401 || reply.statusCode === 403 || reply.statusCode === 429)
      this.#authFailures.inc({ status });
    if (request.url.startsWith(`${DATA_PATH_PREFIX}/`)) {
      const endpoint = parseEndpointName(request.url.slice(DATA_PATH_PREFIX.length + 1).split('/')[0] ?? '');
      if (endpoint) this.#dataRequests.inc({ database: endpoint.databaseId, status });
    }
  }

  /** A Kysely plugin that times every query from compilation to result. */
  storeTimer(): KyselyPlugin {
    const started = new WeakMap<object, { at: bigint; operation: string }>();
    const latency = this.#storeLatency;
    return {
      transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
        started.set(args.queryId, { at: process.hrtime.bigint(), operation: OPERATIONS[args.node.kind] ?? 'other' });
        return args.node;
      },
      transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        const start = started.get(args.queryId);
        if (start) latency.observe({ operation: start.operation }, Number(process.hrtime.bigint() - start.at) / 1e9);
        return Promise.resolve(args.result);
      },
    };
  }
}
