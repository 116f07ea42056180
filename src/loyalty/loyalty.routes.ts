import type { FastifyInstance } from 'fastify';
import { roleHook } from '../auth/auth.js';
import { signingKey } from '../config.js';
import { customerIdParams, errorResponses, pageQuerystring } from '../http/schemas.js';
import { typed } from '../http/type-provider.js';
import { answerWrite, writeRoute } from '../http/write.js';
import { invalid } from '../shared/domain-error.js';
import { JobLock, lockOrganizationJob } from '../shared/jobs.js';
import { runExpiry } from './loyalty.expiry.job.js';
import { getProgram, programErrors, saveProgram } from './loyalty.program.service.js';
import { getLoyaltyAccount, listLedger } from './loyalty.queries.service.js';
import { reverse } from './loyalty.reversal.service.js';
import {
  earnBody,
  earnResponse,
  expiryRunResponse,
  ledgerPage,
  type loyaltyAccountSchema,
  programResponse,
  programSchema,
  redeemBody,
  redeemResponse,
  reversalBody,
  reversalParams,
  reversalResponse,
} from './loyalty.schemas.js';
import { earn, enrollCustomer, redeem } from './loyalty.service.js';

export default async function loyaltyRoutes(fastify: FastifyInstance) {
  const app = typed<[typeof loyaltyAccountSchema]>(fastify);
  const tags = ['loyalty'];

  app.post(
    '/customers/:customer_id/loyalty',
    writeRoute({
      tags,
      summary: 'Enroll a customer who has no loyalty account (no body, or an empty JSON object)',
      params: customerIdParams,
      body: { type: ['object', 'null'], additionalProperties: false },
      response: { 201: { $ref: 'LoyaltyAccount#' }, ...errorResponses(404, 409) },
    }),
    (request, reply) =>
      answerWrite(request, reply, 201, (tx, ctx) => enrollCustomer(tx, ctx, request.params.customer_id)),
  );

  app.get(
    '/customers/:customer_id/loyalty',
    {
      schema: {
        tags,
        summary: 'Balance, lifetime points, tier and the next tier',
        params: customerIdParams,
        response: { 200: { $ref: 'LoyaltyAccount#' }, ...errorResponses(404) },
      },
    },
    (request) => getLoyaltyAccount(app.db, request.principal.org, request.params.customer_id),
  );

  app.get(
    '/customers/:customer_id/loyalty/transactions',
    {
      schema: {
        tags,
        summary: 'The ledger, newest first, cursor-paginated',
        params: customerIdParams,
        querystring: pageQuerystring,
        response: { 200: ledgerPage, ...errorResponses(404) },
      },
    },
    (request) =>
      listLedger(app.db, request.principal.org, request.params.customer_id, {
        ...request.query,
        signingKey: signingKey(app.config),
      }),
  );

  app.post(
    '/customers/:customer_id/loyalty/earn',
    writeRoute({
      tags,
      summary: 'Earn points (publishes loyalty.points.earned, then loyalty.tier.upgraded when the tier rises)',
      params: customerIdParams,
      body: earnBody,
      response: { 201: earnResponse, ...errorResponses(404, 409, 422) },
    }),
    (request, reply) =>
      answerWrite(request, reply, 201, (tx, ctx) => earn(tx, ctx, request.params.customer_id, request.body), {
        oneStatement: true,
      }),
  );

  app.post(
    '/customers/:customer_id/loyalty/redeem',
    writeRoute({
      tags,
      summary: 'Redeem points for a discount (publishes loyalty.points.redeemed)',
      params: customerIdParams,
      body: redeemBody,
      response: { 201: redeemResponse, ...errorResponses(404, 409, 422) },
    }),
    (request, reply) =>
      answerWrite(request, reply, 201, (tx, ctx) => redeem(tx, ctx, request.params.customer_id, request.body)),
  );

  app.get(
    '/loyalty/program',
    {
      schema: {
        tags,
        summary: "The organization's loyalty program (defaults until it sets its own)",
        response: { 200: programResponse, ...errorResponses() },
      },
    },
    (request) => getProgram(app.db, request.principal.org),
  );

  app.put(
    '/loyalty/program',
    {
      schema: {
        tags,
        summary: 'Replace the loyalty program (role loyalty_admin); applies to later movements',
        body: programSchema,
        response: { 200: programResponse, ...errorResponses() },
      },
      preValidation: roleHook('loyalty_admin'),
    },
    async (request) => {
      const errors = programErrors(request.body);
      if (errors.length > 0) throw invalid(errors, 'The loyalty program is not valid.');
      await saveProgram(app.db, request.principal.org, request.body, app.clock.now());
      return request.body;
    },
  );

  app.post(
    '/customers/:customer_id/loyalty/transactions/:transaction_id/reversal',
    writeRoute({
      tags,
      summary:
        'Reverse an earn (a refund) or a redemption (a cancelled order), wholly or in part (publishes loyalty.points.reversed)',
      params: reversalParams,
      body: reversalBody,
      response: { 201: reversalResponse, ...errorResponses(404, 409, 422) },
    }),
    (request, reply) =>
      answerWrite(request, reply, 201, (tx, ctx) =>
        reverse(tx, ctx, request.params.customer_id, request.params.transaction_id, request.body ?? {}),
      ),
  );

  app.post(
    '/loyalty/expiry-runs',
    writeRoute(
      {
        tags,
        summary:
          "Expire the organization's points past their expiry and announce those about to expire (role loyalty_admin; publishes loyalty.points.expired and loyalty.points.expiring)",
        description:
          'While another run holds the organization (or a scheduled run holds all of them) the answer is 409 ' +
          '`job-running`, at once.',
        body: { type: ['object', 'null'], additionalProperties: false },
        response: { 200: expiryRunResponse, ...errorResponses(409) },
      },
      'loyalty_admin',
    ),
    (request, reply) =>
      answerWrite(request, reply, 200, async (tx, ctx) => {
        await lockOrganizationJob(tx, JobLock.loyaltyExpiry, ctx.principal.org);
        const scope = { org: ctx.principal.org, actor: ctx.principal.sub, correlationId: ctx.requestId };
        return runExpiry(tx, scope, ctx.now);
      }),
  );
}
