import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { permissionLabel } from './auth.js';

declare module 'fastify' {
  interface FastifySchema {
    /** Marks an operation the Astra API does not have. */
    'x-orrery-extension'?: boolean;
  }
}

const ErrorResponse = Type.Object(
  {
    errors: Type.Array(Type.Object({ ID: Type.Integer(), message: Type.String() })),
  },
  { description: 'Every error has this shape; docs/errors.md lists the IDs.' },
);

const StargateErrorResponse = Type.Object(
  { description: Type.String() },
  { description: 'Errors of the per-database auth API have the shape its clients parse.' },
);

/**
 * Serves the OpenAPI 3.1 document at /openapi.json and a docs page at /docs. Each route's
 * schema is the single source for validation, types and this document; the permission a route
 * declares is written into its operation as `x-orrery-permission` and its security requirement.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) {
      route.config = { ...route.config, permission: 'public' };
      return;
    }
    const permission = route.config?.permission;
    if (!permission) return;
    const schema: Record<string, unknown> = { ...(route.schema ?? {}) };
    schema['x-orrery-permission'] = permissionLabel(permission);
    if (permission !== 'public') schema.security = [{ BearerAuth: [] }];
    const error = route.config?.errorFormat === 'stargate' ? StargateErrorResponse : ErrorResponse;
    schema.response = { '4XX': error, '5XX': error, ...(schema.response ?? {}) };
    route.schema = schema;
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Orrery',
        version: '0.1.0',
        description:
          'A self-hosted control plane for Cassandra databases that speaks the Astra DevOps API. ' +
          'Operations marked `x-orrery-extension` are Orrery additions that the Astra API does not have.',
      },
      components: {
        securitySchemes: {
          BearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'An application token, AstraCS:<clientId>:<hex>, or a service-account JWT',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
