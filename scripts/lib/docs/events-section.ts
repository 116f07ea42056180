// The docs site's "Published and consumed events" section, written from the document's send and receive
// operations (nothing in it is typed by hand): appended to info.description of the copy the docs are built from.

import { publishedEvents, receivedEvents } from '../asyncapi/events.js';
import type { ContractModel } from '../asyncapi/model.js';

/** The section's heading: the docs tests and the page's verification look for it. */
export const EVENTS_SECTION_TITLE = 'Published and consumed events';

/** One line of table cell: no newlines, no unescaped pipes. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

const code = (text: string) => `\`${text}\``;

/**
 * Markdown: one table of every event, published ones (to our exchange, for the consumers named in the document)
 * beside consumed ones (from another team's exchange into our queue, with what we publish as a result), then one
 * paragraph per consumed event: its exchange, routing key, our queue and dead-letter queue, what the service does
 * with it (the receive operation's description) and what it publishes as a result (`x-publishes`).
 */
export function eventsSection(model: ContractModel): string {
  const published = publishedEvents(model).events;
  const received = receivedEvents(model).events;
  const lines = [
    `## ${EVENTS_SECTION_TITLE}`,
    '',
    'Generated from the send and receive operations of this document.',
    '',
    '| direction | event (routing key) | exchange | queue | what happens | as a result |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const event of published) {
    const consumers = event.consumers.length > 0 ? `consumed by ${event.consumers.join(', ')}` : '';
    lines.push(
      `| published | ${code(event.eventName)} | ${event.exchange ? code(event.exchange.name) : ''} | the consumer's own | ${cell(event.summary)} | ${cell(consumers)} |`,
    );
  }
  for (const event of received) {
    const exchange = event.exchange
      ? `${code(event.exchange.name)}${event.exchangeOwner ? ` (${event.exchangeOwner})` : ''}`
      : '';
    const publishes = event.publishes.length > 0 ? `we publish ${event.publishes.map(code).join(', ')}` : '';
    lines.push(
      `| consumed | ${code(event.eventName)} | ${exchange} | ${event.queue ? code(event.queue.name) : ''} | ${cell(event.summary)} | ${publishes} |`,
    );
  }
  if (received.length > 0) lines.push('', '### What the service does with each consumed event');
  for (const event of received) {
    lines.push('', `#### ${code(event.eventName)}`, '');
    if (event.exchange) {
      const owner = event.exchangeOwner ? `, owned by the ${event.exchangeOwner}` : '';
      lines.push(`- **Exchange:** ${code(event.exchange.name)} (${event.exchange.type}${owner})`);
    }
    lines.push(`- **Routing key:** ${code(event.eventName)}`);
    if (event.queue) {
      lines.push(
        `- **Our queue:** ${code(event.queue.name)} (${event.queue.type}); a message that cannot be applied goes to ${code(`${event.queue.name}.dlq`)} with header \`x-error\``,
      );
    }
    if (event.producer) lines.push(`- **Producer:** ${event.producer}`);
    lines.push(`- **What we do:** ${cell(event.description || event.summary)}`);
    lines.push(
      `- **We publish as a result:** ${event.publishes.length > 0 ? event.publishes.map(code).join(', ') : 'nothing'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
