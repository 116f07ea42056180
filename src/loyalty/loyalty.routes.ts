import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/auth.js';
import { findCustomer } from '../customers/customers.repository.js';
import { contextOf } from '../customers/customers.routes.js';
import { problems } from '../errors.js';
import { cursorSeq, toPage } from '../http/pagination.js';
import { customerIdParams, errorResponses, idempotencyHeaders, pageQuerystring } from '../http/schemas.js';
import { runWrite } from '../http/write.js';
import { getProgram, type LoyaltyProgram, programErrors, saveProgram } from './loyalty.program.js';
import * as repo from './loyalty.repository.js';
import { earnBody, earnResponse, ledgerPage, programSchema, redeemBody, redeemResponse } from './loyalty.schemas.js';
import { type EarnInput, earn, enrollCustomer, loyaltySummary, type RedeemInput, redeem } from './loyalty.service.js';

type IdParams = { customer_id: string };

export default async function loyaltyRoutes(app: FastifyInstance) {
  const tags = ['loyalty'];

  app.post<{ Params: IdParams }>(
    '/customers/:customer_id/loyalty',
    {
      schema: {
        tags,
        summary: 'Enroll a customer who has no loyalty account (no body, or an empty JSON object)',
        params: customerIdParams,
        headers: idempotencyHeaders,
        body: { type: ['object', 'null'], additionalProperties: false },
        response: { 201: { $ref: 'LoyaltyAccount#' }, ...errorResponses(404, 409) },
      },
    },
    (request, reply) =>
      runWrite(request, reply, (tx) => enrollCustomer(tx, contextOf(request), request.params.customer_id)),
  );

  app.get<{ Params: IdParams }>(
    '/customers/:customer_id/loyalty',
    {
      schema: {
        tags,
        summary: 'Balance, lifetime points, tier and the next tier',
        params: customerIdParams,
        response: { 200: { $ref: 'LoyaltyAccount#' }, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { org } = request.principal;
      const summary = await loyaltySummary(app.db, org, request.params.customer_id);
      if (summary) return summary;
      if (!(await findCustomer(app.db, org, request.params.customer_id))) throw problems.customerNotFound();
      throw problems.loyaltyAccountNotFound();
    },
  );

  app.get<{ Params: IdParams; Querystring: { limit: number; cursor?: string } }>(
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
    async (request) => {
      const { org } = request.principal;
      const id = request.params.customer_id;
      const before = cursorSeq(request.query.cursor);
      if (!(await repo.findAccount(app.db, org, id))) {
        if (!(await findCustomer(app.db, org, id))) throw problems.customerNotFound();
        throw problems.loyaltyAccountNotFound();
      }
      const rows = await repo.listEntries(app.db, org, id, before, request.query.limit);
      return toPage(rows, request.query.limit, ({ seq: _seq, created_at, ...e }) => ({
        ...e,
        created_at: created_at.toISOString(),
      }));
    },
  );

  app.post<{ Params: IdParams; Body: EarnInput }>(
    '/customers/:customer_id/loyalty/earn',
    {
      schema: {
        tags,
        summary: 'Earn points (publishes loyalty.points.earned, then loyalty.tier.upgraded when the tier rises)',
        params: customerIdParams,
        headers: idempotencyHeaders,
        body: earnBody,
        response: { 201: earnResponse, ...errorResponses(404, 409, 422) },
      },
    },
    (request, reply) =>
      runWrite(request, reply, (tx) => earn(tx, contextOf(request), request.params.customer_id, request.body)),
  );

  app.post<{ Params: IdParams; Body: RedeemInput }>(
    '/customers/:customer_id/loyalty/redeem',
    {
      schema: {
        tags,
        summary: 'Redeem points for a discount (publishes loyalty.points.redeemed)',
        params: customerIdParams,
        headers: idempotencyHeaders,
        body: redeemBody,
        response: { 201: redeemResponse, ...errorResponses(404, 422) },
      },
    },
    (request, reply) =>
      runWrite(request, reply, (tx) => redeem(tx, contextOf(request), request.params.customer_id, request.body)),
  );

  app.get(
    '/loyalty/program',
    {
      schema: {
        tags,
        summary: "The organization's loyalty program (defaults until it sets its own)",
        response: { 200: programSchema, ...errorResponses() },
      },
    },
    (request) => getProgram(app.db, request.principal.org),
  );

  app.put<{ Body: LoyaltyProgram }>(
    '/loyalty/program',
    {
      schema: {
        tags,
        summary: 'Replace the loyalty program (role loyalty_admin); applies to later movements',
        body: programSchema,
        response: { 200: programSchema, ...errorResponses() },
      },
      preValidation: async (request) => requireRole(request.principal, 'loyalty_admin'),
    },
    async (request) => {
      const errors = programErrors(request.body);
      if (errors.length > 0) throw problems.validation(errors, 'The loyalty program is not valid.');
      await saveProgram(app.db, request.principal.org, request.body, new Date());
      return request.body;
    },
  );
}
