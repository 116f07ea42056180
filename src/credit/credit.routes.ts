import type { FastifyInstance } from 'fastify';
import { signingKey } from '../config.js';
import type { ProblemBody } from '../errors.js';
import { problemOf } from '../http/domain-problems.js';
import type { Outcome } from '../http/idempotency.js';
import { customerIdParams, errorResponses, pageQuerystring } from '../http/schemas.js';
import { typed } from '../http/type-provider.js';
import { answerWrite, contextOf, created, runWrite, writeRoute } from '../http/write.js';
import { utcDate } from '../shared/clock.js';
import creditLifecycleRoutes from './credit.lifecycle.routes.js';
import { receivePayment, type UsageResult, useCredit } from './credit.movements.service.js';
import * as repo from './credit.repository.js';
import type { creditAccountSchema } from './credit.schemas.js';
import {
  changeAccountBody,
  openAccountBody,
  paymentBody,
  paymentPage,
  paymentSchema,
  usageBody,
  usagePage,
  usageSchema,
} from './credit.schemas.js';
import {
  changeTerms,
  getCreditAccount,
  listMovements,
  openAccount,
  paymentView,
  type UsageView,
  usageView,
} from './credit.service.js';
import creditUsageCancellationRoutes from './credit.usage-cancellation.routes.js';

/** A refused usage is committed (audit row and event) and answered 422 like a thrown refusal. */
function usageOutcome(result: UsageResult): Outcome<UsageView | ProblemBody> {
  return result.kind === 'used' ? created(result.usage) : { status: 422, body: problemOf(result.refusal).toBody() };
}

export default async function creditRoutes(fastify: FastifyInstance) {
  const app = typed<[typeof creditAccountSchema]>(fastify);
  const tags = ['credit'];
  await app.register(creditLifecycleRoutes);
  await app.register(creditUsageCancellationRoutes);

  app.post(
    '/customers/:customer_id/credit',
    writeRoute(
      {
        tags,
        summary: 'Approve store credit for a customer (role credit_manager; publishes credit.approved)',
        description: 'One credit account per customer: a second approval is 409 `credit-account-exists`.',
        params: customerIdParams,
        body: openAccountBody,
        response: { 201: { $ref: 'CreditAccount#' }, ...errorResponses(404, 409, 422) },
      },
      'credit_manager',
    ),
    (request, reply) =>
      answerWrite(request, reply, 201, (tx, ctx) => openAccount(tx, ctx, request.params.customer_id, request.body)),
  );

  app.patch(
    '/customers/:customer_id/credit',
    writeRoute(
      {
        tags,
        summary: 'Change the credit limit or payment term (role credit_manager; publishes credit.approved)',
        description:
          'A limit below the amount outstanding is 422 `credit-limit-below-outstanding`. The same terms again answer ' +
          '200 and publish nothing. Due dates of earlier usages keep their term.',
        params: customerIdParams,
        body: changeAccountBody,
        response: { 200: { $ref: 'CreditAccount#' }, ...errorResponses(404, 409, 422) },
      },
      'credit_manager',
    ),
    (request, reply) =>
      answerWrite(request, reply, 200, (tx, ctx) => changeTerms(tx, ctx, request.params.customer_id, request.body)),
  );

  app.get(
    '/customers/:customer_id/credit',
    {
      schema: {
        tags,
        summary:
          'The credit account with its outstanding amount and available credit (usages and payments: ' +
          'GET …/credit/usages and GET …/credit/payments)',
        description: 'No credit account: 404 `credit-account-not-found`; no such customer: 404 `customer-not-found`.',
        params: customerIdParams,
        response: { 200: { $ref: 'CreditAccount#' }, ...errorResponses(404) },
      },
    },
    (request) => getCreditAccount(app.db, request.principal.org, request.params.customer_id),
  );

  app.get(
    '/customers/:customer_id/credit/usages',
    {
      schema: {
        tags,
        summary: 'Usages of the credit account, newest first, cursor-paginated, with `amount_paid` and `status`',
        params: customerIdParams,
        querystring: pageQuerystring,
        response: { 200: usagePage, ...errorResponses(404) },
      },
    },
    (request) =>
      listMovements(
        app.db,
        request.principal.org,
        request.params.customer_id,
        { ...request.query, signingKey: signingKey(app.config) },
        'usages',
        repo.listUsages,
        (row) => usageView(row, utcDate(app.clock.now())),
      ),
  );

  app.get(
    '/customers/:customer_id/credit/payments',
    {
      schema: {
        tags,
        summary: 'Payments to the credit account, newest first, cursor-paginated',
        params: customerIdParams,
        querystring: pageQuerystring,
        response: { 200: paymentPage, ...errorResponses(404) },
      },
    },
    (request) =>
      listMovements(
        app.db,
        request.principal.org,
        request.params.customer_id,
        { ...request.query, signingKey: signingKey(app.config) },
        'payments',
        repo.listPayments,
        paymentView,
      ),
  );

  app.post(
    '/customers/:customer_id/credit/usages',
    writeRoute({
      tags,
      summary: 'Pay an order with store credit (publishes credit.used)',
      description:
        'A usage above `credit_available` is 422 `credit-limit-exceeded` (with `attempted_amount`, ' +
        '`credit_available`, `shortfall`); the refusal is recorded and publishes credit.limit.exceeded. ' +
        'One usage per `order_id` in the organization: 409 `duplicate-order` (a refused order may be retried). ' +
        'An account on hold refuses every usage with 422 `credit-on-hold` and publishes nothing.',
      params: customerIdParams,
      body: usageBody,
      response: { 201: usageSchema, ...errorResponses(404, 409, 422) },
    }),
    (request, reply) =>
      runWrite(request, reply, async (tx) =>
        usageOutcome(await useCredit(tx, contextOf(request), request.params.customer_id, request.body)),
      ),
  );

  app.post(
    '/customers/:customer_id/credit/payments',
    writeRoute({
      tags,
      summary: 'Record a payment against the outstanding credit (publishes credit.payment.received)',
      description:
        'A payment above the amount outstanding is 422 `overpayment` (with `outstanding`). Payments are accepted ' +
        'on hold. A payment settles the unpaid usages earliest `due_date` first, then oldest; when it leaves no ' +
        'overdue usage, a hold placed for overdue lifts (publishes credit.hold.released).',
      params: customerIdParams,
      body: paymentBody,
      response: { 201: paymentSchema, ...errorResponses(404, 409, 422) },
    }),
    (request, reply) =>
      answerWrite(request, reply, 201, (tx, ctx) => receivePayment(tx, ctx, request.params.customer_id, request.body)),
  );
}
