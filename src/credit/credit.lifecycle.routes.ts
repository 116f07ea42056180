import type { FastifyInstance } from 'fastify';
import { roleHook } from '../auth/auth.js';
import { signingKey } from '../config.js';
import { customerIdParams, errorResponses } from '../http/schemas.js';
import { typed } from '../http/type-provider.js';
import { answerWrite, writeRoute } from '../http/write.js';
import { utcDate } from '../shared/clock.js';
import { JobLock, lockOrganizationJob } from '../shared/jobs.js';
import { placeManualHold, releaseManualHold } from './credit.holds.service.js';
import {
  agingQuerystring,
  agingSchema,
  holdBody,
  overdueRunResponse,
  statementQuerystring,
  statementSchema,
} from './credit.lifecycle.schemas.js';
import { runOverdue } from './credit.overdue.job.js';
import { aging, statement } from './credit.reports.service.js';
import type { creditAccountSchema } from './credit.schemas.js';

/** Overdue runs, holds, statements and aging (the credit lifecycle). */
export default async function creditLifecycleRoutes(fastify: FastifyInstance) {
  const app = typed<[typeof creditAccountSchema]>(fastify);
  const tags = ['credit'];

  app.post(
    '/credit/overdue-runs',
    writeRoute(
      {
        tags,
        summary:
          "Announce the organization's unpaid usages past their due date and hold their accounts (role " +
          'credit_manager; publishes credit.overdue and credit.hold.placed)',
        description:
          'Each usage is announced once (`credit.overdue`); an active account with an overdue usage goes on hold ' +
          '(`credit.hold.placed`, reason `overdue`). The answer counts what this run newly marked. Runs also go ' +
          'by themselves every `CREDIT_OVERDUE_INTERVAL_SECONDS`, one at a time across instances. While another run ' +
          'holds the organization (or a scheduled run holds all of them) the answer is 409 `job-running`, at once.',
        body: { type: ['object', 'null'], additionalProperties: false },
        response: { 200: overdueRunResponse, ...errorResponses(409) },
      },
      'credit_manager',
    ),
    (request, reply) =>
      answerWrite(request, reply, 200, async (tx, ctx) => {
        await lockOrganizationJob(tx, JobLock.creditOverdue, ctx.principal.org);
        return runOverdue(tx, { org: ctx.principal.org, correlationId: ctx.requestId }, ctx.now);
      }),
  );

  app.post(
    '/customers/:customer_id/credit/hold',
    writeRoute(
      {
        tags,
        summary: 'Put the credit account on hold by hand (role credit_manager; publishes credit.hold.placed)',
        description:
          'Usages are refused with 422 `credit-on-hold` until the hold is released; payments are accepted. A ' +
          'manual hold stays until `DELETE …/credit/hold`. A hold placed for overdue becomes manual; an account ' +
          'already held by hand answers as it is and publishes nothing.',
        params: customerIdParams,
        body: holdBody,
        response: { 200: { $ref: 'CreditAccount#' }, ...errorResponses(404, 409) },
      },
      'credit_manager',
    ),
    (request, reply) =>
      answerWrite(request, reply, 200, (tx, ctx) =>
        placeManualHold(tx, ctx, request.params.customer_id, request.body ?? {}),
      ),
  );

  app.delete(
    '/customers/:customer_id/credit/hold',
    writeRoute(
      {
        tags,
        summary: 'Release a hold (role credit_manager; publishes credit.hold.released)',
        description:
          '409 `credit-overdue` (with `overdue_amount`) while an overdue usage is unpaid. An active account ' +
          'answers as it is and publishes nothing.',
        params: customerIdParams,
        response: { 200: { $ref: 'CreditAccount#' }, ...errorResponses(404, 409) },
      },
      'credit_manager',
    ),
    (request, reply) =>
      answerWrite(request, reply, 200, (tx, ctx) => releaseManualHold(tx, ctx, request.params.customer_id)),
  );

  app.get(
    '/customers/:customer_id/credit/statement',
    {
      schema: {
        tags,
        summary: 'Statement of the credit account: usages and payments of a date range with the running balance',
        description:
          'Dates are UTC, both included. `balance` is the outstanding amount after each line; `closing_balance` ' +
          'is `opening_balance` plus the usages less the payments. `to` before `from` is 400.',
        params: customerIdParams,
        querystring: statementQuerystring,
        response: { 200: statementSchema, ...errorResponses(404) },
      },
    },
    (request) => statement(app.db, request.principal.org, request.params.customer_id, request.query),
  );

  app.get(
    '/credit/aging',
    {
      schema: {
        tags,
        summary: "Aging of the organization's outstanding credit as of a date (role credit_manager)",
        description:
          'Per account with something outstanding at the end of `as_of`: each unpaid remainder bucketed by days ' +
          'past its `due_date` (`current`: `due_date` ≥ `as_of`). `outstanding` is the sum of the buckets; ' +
          '`totals` has the same buckets over all accounts. Accounts in approval order, cursor-paginated.',
        querystring: agingQuerystring,
        response: { 200: agingSchema, ...errorResponses() },
      },
      preValidation: roleHook('credit_manager'),
    },
    (request) => {
      const { as_of: asOf, ...page } = request.query;
      return aging(app.db, request.principal.org, asOf ?? utcDate(app.clock.now()), {
        ...page,
        signingKey: signingKey(app.config),
      });
    },
  );
}
