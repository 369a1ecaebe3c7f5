import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyBaseLogger, type RawServerDefault, type RawRequestDefaultExpression, type RawReplyDefaultExpression } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { registerErrorHandling } from './error-handler.js';
import { ErrorIds, errorBody } from './errors.js';
import { registerJsonBodyParser } from './json-body.js';
import { registerOpenApi } from './openapi.js';

export type AppServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Header and body fields whose values must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-cassandra-token"]',
  'req.headers.cookie',
  'headers.authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.clientSecret',
];

export interface ServerOptions {
  logLevel: Config['logLevel'];
  trustedProxies: string[];
  /** Where log lines go; standard output unless a test captures them. */
  logStream?: NodeJS.WritableStream;
  /** Maps a request onto another path before routing (data endpoints reached by host name). */
  rewriteUrl?: (host: string | undefined, url: string) => string;
  /** Serve HTTPS with these, speaking HTTP/2 and HTTP/1.1; plain HTTP/1.1 without. */
  tls?: { key: string; cert: string };
}

/** HTTP/2 names the host in the :authority pseudo-header; HTTP/1.1 in Host. */
function hostOf(req: RawRequestDefaultExpression): string | undefined {
  return req.headers.host ?? (req.headers[':authority'] as string | undefined);
}

export async function createHttpServer(options: ServerOptions): Promise<AppServer> {
  // The HTTP/2 server's request types differ only in ways no route relies on, so one AppServer type serves both.
  const transport = options.tls ? ({ http2: true, https: { allowHTTP1: true, key: options.tls.key, cert: options.tls.cert } } as unknown as object) : {};
  const app = Fastify({
    ...transport,
    logger: {
      level: options.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    ...(options.rewriteUrl ? { rewriteUrl: (req: RawRequestDefaultExpression) => options.rewriteUrl!(hostOf(req), req.url ?? '/') } : {}),
    // A caller's own request ID is kept when it is short and plain, so it cannot forge log lines.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustedProxies.length ? options.trustedProxies : false,
    // Errors the router raises before any route runs (a bad URL, an over-long path segment) use our model too.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      void reply.code(status).send(errorBody(ErrorIds.invalidRequest, error.message));
    },
    ajv: {
      customOptions: {
        // Real clients add fields the spec does not list; ignore them rather than reject.
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: false,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerJsonBodyParser(app);
  registerErrorHandling(app);
  await registerOpenApi(app);
  return app;
}
