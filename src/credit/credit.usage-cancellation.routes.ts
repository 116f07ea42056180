import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../http/schemas.js';
import { typed } from '../http/type-provider.js';
import { answerWrite, writeRoute } from '../http/write.js';
import { usageSchema } from './credit.schemas.js';
import { usageCancellationBody, usageCancellationParams } from './credit.usage-cancellation.schemas.js';
import { cancelUsage } from './credit.usage-cancellation.service.js';

/** Cancelling a credit usage by hand (an order.cancelled cancels its order's usage the same way). */
export default async function creditUsageCancellationRoutes(fastify: FastifyInstance) {
  const app = typed(fastify);

  app.post(
    '/customers/:customer_id/credit/usages/:usage_id/cancellation',
    writeRoute(
      {
        tags: ['credit'],
        summary:
          'Cancel a credit usage: its amount returns to the available credit (role credit_manager; publishes credit.usage.cancelled)',
        description:
          'Answers the usage with `status` `cancelled`. A usage with payments allocated is 422 `usage-partly-paid` ' +
          '(with `amount_paid`); one already cancelled is 409 `usage-already-cancelled`; a usage the customer does ' +
          'not have is 404 `usage-not-found`. A cancelled usage is never paid nor overdue and counts in no ' +
          'statement or aging; when it leaves no overdue usage, a hold placed for overdue lifts (publishes ' +
          'credit.hold.released).',
        params: usageCancellationParams,
        body: usageCancellationBody,
        response: { 201: usageSchema, ...errorResponses(404, 409, 422) },
      },
      'credit_manager',
    ),
    (request, reply) =>
      answerWrite(request, reply, 201, (tx, ctx) =>
        cancelUsage(tx, ctx, request.params.customer_id, request.params.usage_id, request.body?.reason),
      ),
  );
}
