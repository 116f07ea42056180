/**
 * `npm run events:simulate -- [--event <name or binding pattern>] [--count <n>] [--org <id>] [--customer <id>]`:
 * publishes the contract's examples with fresh ids, timestamps and messageIds. A published event goes to
 * customer_events exactly as the service would send it (the document's properties and headers); a consumed event
 * (`--event order.completed`, `order.#`, `payment.received`) goes to its producer's exchange (order_events,
 * payment_events; declared topic and durable when absent) for the service to consume. Every message carries header
 * `x-simulated: true`. Default: one of each published event. AMQP_URL as for the service.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { publishSimulated, simulatedEvents } from './lib/events/simulate.js';

const { values } = parseArgs({
  options: {
    event: { type: 'string' },
    count: { type: 'string' },
    org: { type: 'string' },
    customer: { type: 'string' },
  },
});
try {
  const config = loadConfig();
  const events = simulatedEvents({
    event: values.event,
    count: values.count === undefined ? undefined : Number(values.count),
    org: values.org,
    customer: values.customer,
  });
  await publishSimulated(config.AMQP_URL, events);
  for (const { envelope, messageId, exchange } of events) {
    console.log(`${envelope.event}  exchange=${exchange}  org=${envelope.organization_id}  messageId=${messageId}`);
  }
  const exchanges = [...new Set(events.map((e) => e.exchange))].join(', ');
  console.log(`Published ${events.length} simulated event(s) (x-simulated: true) to ${exchanges}.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
