/**
 * `npm run events:simulate -- [--event <name or binding pattern>] [--count <n>] [--org <id>]`: publishes the
 * contract's examples to customer_events with fresh ids, timestamps and messageIds, exactly as the service would
 * (properties and headers of the generated publishers). Default: one of each event. AMQP_URL as for the service.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { publishSimulated, simulatedEvents } from './lib/events/simulate.js';

const { values } = parseArgs({
  options: { event: { type: 'string' }, count: { type: 'string' }, org: { type: 'string' } },
});
try {
  const config = loadConfig();
  const events = simulatedEvents({
    event: values.event,
    count: values.count === undefined ? undefined : Number(values.count),
    org: values.org,
  });
  await publishSimulated(config.AMQP_URL, events);
  for (const { envelope, messageId } of events) {
    console.log(`${envelope.event}  org=${envelope.organization_id}  messageId=${messageId}`);
  }
  console.log(`Published ${events.length} simulated event(s) to customer_events.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
