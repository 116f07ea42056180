import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';

/*
 * What the logs may hold (docs/security.md): no query strings (`?email=…&phone=…&q=…`), no bodies, no driver
 * details. Logs live outside the database, where an anonymization cannot reach them.
 */

/** The request line of every log entry: the path without its query, and the route it matched. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: request.url.split('?', 1)[0],
    route: request.routeOptions?.url,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * An error without the fields that echo data: PostgreSQL's `detail` is `Key (email)=(ana@example.com) already
 * exists`, `where`/`internalQuery` carry the statement; a custom property may be a whole body. The message, the
 * codes and the stack stay: they say where it failed.
 */
export function serializeError(err: Error): { type: string; message: string; stack: string; [key: string]: unknown } {
  // Some call sites log `{ err: error.message }`: a string is kept as the message.
  if (!(err instanceof Error)) return { type: typeof err, message: String(err), stack: '' };
  const e = err as Error & { code?: unknown; constraint?: unknown; table?: unknown; statusCode?: unknown };
  return {
    type: e.constructor?.name ?? 'Error',
    message: String(e.message),
    stack: String(e.stack ?? ''),
    ...(typeof e.code === 'string' && { code: e.code }),
    ...(typeof e.constraint === 'string' && { constraint: e.constraint }),
    ...(typeof e.table === 'string' && { table: e.table }),
    ...(typeof e.statusCode === 'number' && { statusCode: e.statusCode }),
  };
}

/** A client's `x-request-id` is kept (as the request id and the events' correlationId) only when it is this. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request id: the client's `x-request-id` when short and printable, otherwise a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const h = req.headers['x-request-id'];
  return typeof h === 'string' && CLIENT_REQUEST_ID.test(h) ? h : randomUUID();
}
