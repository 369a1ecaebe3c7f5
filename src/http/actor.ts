import type { FastifyRequest } from 'fastify';
import type { Actor } from '../kernel/principal.js';
import { principalOf } from './auth.js';

/** The acting principal and its address, as services take them. */
export function actorOf(request: FastifyRequest): Actor {
  return { principal: principalOf(request), address: request.ip };
}
