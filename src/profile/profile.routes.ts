import type { FastifyInstance } from 'fastify';
import type { creditAccountSchema } from '../credit/credit.schemas.js';
import type { customerSchema } from '../customers/customers.schemas.js';
import { customerIdParams, errorResponses } from '../http/schemas.js';
import { typed } from '../http/type-provider.js';
import { answerWrite, writeRoute } from '../http/write.js';
import type { loyaltyAccountSchema } from '../loyalty/loyalty.schemas.js';
import { profileSchema, signUpBody } from './profile.schemas.js';
import { getProfile, signUp } from './profile.service.js';

/** The customer routes whose use cases span customers, loyalty and credit. */
export default async function profileRoutes(fastify: FastifyInstance) {
  const app = typed<[typeof customerSchema, typeof loyaltyAccountSchema, typeof creditAccountSchema]>(fastify);
  const tags = ['customers'];

  app.post(
    '/customers',
    writeRoute({
      tags,
      summary: 'Create a customer (publishes customer.created)',
      body: signUpBody,
      response: { 201: { $ref: 'Customer#' }, ...errorResponses(409, 422) },
    }),
    (request, reply) => answerWrite(request, reply, 201, (tx, ctx) => signUp(tx, ctx, request.body)),
  );

  app.get(
    '/customers/:customer_id',
    {
      schema: {
        tags,
        summary: 'A customer with its loyalty summary and credit account (or null)',
        params: customerIdParams,
        response: {
          200: profileSchema,
          ...errorResponses(404),
        },
      },
    },
    (request) => getProfile(app.db, request.principal.org, request.params.customer_id),
  );
}
