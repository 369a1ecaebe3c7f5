import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyInstance,
  type FastifySchemaCompiler,
  type FastifyServerOptions,
  type FastifyReply,
  type FastifyBaseLogger,
  type RawServerDefault,
  type RawRequestDefaultExpression,
  type RawReplyDefaultExpression,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import AjvCompiler from '@fastify/ajv-compiler';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config.js';
import type { StoreFault } from '../store/store-faults.js';
import { registerErrorHandling } from './error-handler.js';
import { ApiError, ErrorIds, errorBody } from '../kernel/errors.js';
import { registerJsonBodyParser } from './json-body.js';
import { registerOpenApi } from './openapi.js';
import type { FastifyRequest } from 'fastify';
import { redactUrl } from '../security/url-redaction.js';

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
  'req.headers.token',
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
  /** Told of every store fault a request hits, so that /ready can report it. */
  onStoreFault?: (fault: StoreFault, error: Error) => void;
  /** Serve HTTPS with these, speaking HTTP/2 and HTTP/1.1; plain HTTP/1.1 without. */
  tls?: { key: string; cert: string };
}

/** HTTP/2 names the host in the :authority pseudo-header; HTTP/1.1 in Host. */
function hostOf(req: RawRequestDefaultExpression): string | undefined {
  return req.headers.host ?? (req.headers[':authority'] as string | undefined);
}

type ValidatorFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>['buildValidator'];
type AnySchemas = Parameters<AjvCompiler.BuildCompilerFromPool>[0];

const AJV_OPTIONS = {
  // Real clients add fields the spec does not list; ignore them rather than reject.
  removeAdditional: false,
  useDefaults: true,
  allErrors: false,
} as const;

/**
 * Query strings, path parameters and headers are text, so they are parsed into the types their schemas
 * name; a JSON body already has types, and a wrong one is refused rather than converted (`"7"` is not 7,
 * `null` is not `false`), as Astra refuses it.
 */
function buildValidator(externalSchemas: AnySchemas): FastifySchemaCompiler<unknown> {
  const pool = AjvCompiler();
  const compiler = (coerceTypes: 'array' | false) =>
    pool(externalSchemas, {
      customOptions: { ...AJV_OPTIONS, coerceTypes },
    }) as unknown as FastifySchemaCompiler<unknown>;
  const parsingText = compiler('array');
  const exact = compiler(false);
  return (route) => (route.httpPart === 'body' ? exact : parsingText)(route);
}

/** Answers a request the HTTP parser refused (headers too large, a malformed request line) in the one error model. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'The request headers are too large.'
      : status === 408
        ? 'The request took too long to arrive.'
        : 'The request is not valid HTTP.';
  const body = JSON.stringify(errorBody(ErrorIds.invalidRequest, message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export async function createHttpServer(options: ServerOptions): Promise<AppServer> {
  // The HTTP/2 server's request types differ only in ways no route relies on, so one AppServer type serves both.
  const transport = options.tls
    ? ({ http2: true, https: { allowHTTP1: true, key: options.tls.key, cert: options.tls.cert } } as unknown as object)
    : {};
  const app = Fastify({
    ...transport,
    logger: {
      level: options.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Fastify's own request fields, with credentials in the query string (signed links) redacted.
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: redactUrl(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    ...(options.rewriteUrl
      ? { rewriteUrl: (req: RawRequestDefaultExpression) => options.rewriteUrl!(hostOf(req), req.url ?? '/') }
      : {}),
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
    // Fastify types this factory by Ajv's own types; it takes any function of this shape.
    schemaController: { compilersFactory: { buildValidator: buildValidator as unknown as ValidatorFactory } },
    clientErrorHandler: answerClientError,
    // Requests that arrive while the server drains get our own 503 (below) instead of Fastify's.
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // A NUL in the path or query would reach the store, which PostgreSQL refuses and SQLite keeps.
    if (request.url.includes('%00'))
      throw new ApiError(400, ErrorIds.invalidRequest, 'The request contains a NUL character, which cannot be stored.');
    if (closing) {
      reply.header('connection', 'close');
      throw new ApiError(
        503,
        ErrorIds.unavailable,
        'The server is shutting down; retry on another instance or after it restarts.',
        { 'retry-after': '1' },
      );
    }
  });
  registerJsonBodyParser(app);
  registerErrorHandling(app, options.onStoreFault);
  await registerOpenApi(app);
  return app;
}
