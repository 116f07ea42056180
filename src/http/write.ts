import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Role, roleHook } from '../auth/auth.js';
import { signingKey } from '../config.js';
import type { Queryable } from '../db/db.js';
import type { UseCaseContext } from '../shared/context.js';
import { claimKey, type Outcome, remember, requestHash } from './idempotency.js';
import { idempotencyHeaders } from './schemas.js';

/** Who asks and when, for a use case: "now" is the service clock's (src/shared/clock.ts). */
export function contextOf(request: FastifyRequest): UseCaseContext {
  return { principal: request.principal, requestId: request.id, now: request.server.clock.now() };
}

export const created = <Body>(body: Body): Outcome<Body> => ({ status: 201, body });

export interface WriteOptions {
  /**
   * The use case writes in one statement, and every other statement it runs only reads, on a refusal: without an
   * Idempotency-Key it then runs outside a transaction, that statement being its own (one round trip instead of
   * BEGIN, the statement, COMMIT). With a key it runs in a transaction as any other write: the key is claimed
   * before the work and the answer stored after it, and a refused write must leave the key unclaimed.
   */
  oneStatement?: boolean;
}

/**
 * Runs one write use case in one transaction, honouring `Idempotency-Key`: the answer the route produced is
 * stored in the same transaction as the change, so a retry either replays it or (if the first attempt rolled
 * back) runs again. A use case that throws rolls everything back and stores nothing; a refusal that must be
 * committed (credit.limit.exceeded) is an answer the route produces, not a throw. After the commit the relay is
 * woken, so the events written go out at once. It resolves to the body the route answers (the status set on
 * `reply`), so the route's response schema types what `work` may answer.
 */
export async function runWrite<Body>(
  request: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Queryable) => Promise<Outcome<Body>>,
  options: WriteOptions = {},
): Promise<Body> {
  const { db, relay } = request.server;
  const org = request.principal.org;
  const key = request.headers['idempotency-key'];
  const idempotencyKey = typeof key === 'string' ? key : undefined;
  let replayed = false;
  const attempt = async (tx: Queryable): Promise<Outcome<Body>> => {
    if (idempotencyKey !== undefined) {
      const hash = requestHash(
        signingKey(request.server.config),
        request.method,
        request.url.split('?')[0] ?? '',
        request.body,
      );
      const previous = await claimKey(tx, org, idempotencyKey, hash);
      if (previous) {
        replayed = true;
        return previous as Outcome<Body>; // the answer this route gave the first time
      }
    }
    const result = await work(tx);
    if (idempotencyKey !== undefined) await remember(tx, org, idempotencyKey, result);
    return result;
  };
  const outcome =
    options.oneStatement && idempotencyKey === undefined ? await attempt(db) : await db.transaction(attempt);
  if (!replayed) relay.wake();
  else reply.header('idempotent-replayed', 'true');
  if (outcome.status >= 400) reply.type('application/problem+json');
  reply.code(outcome.status);
  return outcome.body;
}

/**
 * The options of a write route: its schema with the `Idempotency-Key` header, and the role it needs (if any)
 * checked before validation.
 */
export function writeRoute<const Schema extends object>(schema: Schema, role?: Role) {
  return {
    schema: { ...schema, headers: idempotencyHeaders },
    ...(role === undefined ? {} : { preValidation: roleHook(role) }),
  };
}

/**
 * A write route's answer: `useCase` runs with the request's context in `runWrite` (one transaction, honouring
 * `Idempotency-Key`), and what it returns is answered with `status`.
 */
export function answerWrite<Body>(
  request: FastifyRequest,
  reply: FastifyReply,
  status: 200 | 201,
  useCase: (tx: Queryable, ctx: UseCaseContext) => Promise<Body>,
  options?: WriteOptions,
): Promise<Body> {
  return runWrite(request, reply, async (tx) => ({ status, body: await useCase(tx, contextOf(request)) }), options);
}
