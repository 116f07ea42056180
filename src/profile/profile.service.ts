import type { creditAccountSchema } from '../credit/credit.schemas.js';
import { findCreditAccount } from '../credit/credit.service.js';
import { findCustomer } from '../customers/customers.repository.js';
import type { customerSchema } from '../customers/customers.schemas.js';
import {
  type CustomerView,
  customerCreatedEvent,
  customerView,
  insertNewCustomer,
} from '../customers/customers.service.js';
import type { Queryable } from '../db/db.js';
import { loyaltySummary } from '../loyalty/loyalty.queries.service.js';
import type { loyaltyAccountSchema } from '../loyalty/loyalty.schemas.js';
import { enroll } from '../loyalty/loyalty.service.js';
import type { UseCaseContext } from '../shared/context.js';
import { customerNotFound } from '../shared/domain-error.js';
import { storeEvents } from '../shared/outbox-writer.js';
import type { FromSchema } from '../shared/schema-types.js';
import type { profileSchema, signUpBody } from './profile.schemas.js';

/*
 * Use cases that span the three features: they sit above customers, loyalty and credit so that each feature
 * only ever reads the ones below it.
 */

export type SignUpInput = FromSchema<typeof signUpBody>;

/** Creates a customer and, unless told not to, its loyalty account; publishes customer.created. */
export async function signUp(tx: Queryable, ctx: UseCaseContext, input: SignUpInput): Promise<CustomerView> {
  const org = ctx.principal.org;
  const customer = await insertNewCustomer(tx, ctx, input);
  const loyalty = input.enroll_loyalty === false ? undefined : await enroll(tx, org, customer.customer_id, ctx.now);
  await storeEvents(tx, {
    customerId: customer.customer_id,
    correlationId: ctx.requestId,
    events: [customerCreatedEvent(org, customer, loyalty !== undefined, ctx.now)],
  });
  return customerView(customer);
}

export type CustomerProfile = FromSchema<
  typeof profileSchema,
  [typeof customerSchema, typeof loyaltyAccountSchema, typeof creditAccountSchema]
>;

/** A customer with its loyalty summary and credit account (each null when the customer has none). */
export async function getProfile(db: Queryable, org: string, customerId: string): Promise<CustomerProfile> {
  const customer = await findCustomer(db, org, customerId);
  if (!customer) throw customerNotFound();
  const [loyalty, credit] = await Promise.all([
    loyaltySummary(db, org, customerId),
    findCreditAccount(db, org, customerId),
  ]);
  return { ...customerView(customer), loyalty, credit };
}
