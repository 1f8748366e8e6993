import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';

export async function mailRoutes(_app: FastifyInstance, _ctx: AppContext) {}
