import type { FastifyInstance } from 'fastify';

export default async function creditRoutes(_app: FastifyInstance) {}
