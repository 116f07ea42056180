import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '../../scripts/contract/check.js';
import { verifyPage } from '../../scripts/docs.js';
import { receivedEvents } from '../../scripts/lib/asyncapi/events.js';
import { loadSpec } from '../../scripts/lib/asyncapi/load.js';
import { extractContract } from '../../scripts/lib/asyncapi/model.js';
import { EVENTS_SECTION_TITLE, eventsSection } from '../../scripts/lib/docs/events-section.js';

// The section of the docs site that shows the consumed events beside the published ones, written from
// asyncapi.yaml's send and receive operations.

const model = extractContract(await loadSpec(DEFAULT_SPEC));
const section = eventsSection(model);
const rows = section.split('\n').filter((line) => line.startsWith('| '));

describe('the docs site section of published and consumed events', () => {
  it('when built from asyncapi.yaml, then each consumed event has a row with exchange and owner, our queue and what we publish', () => {
    const consumed = receivedEvents(model).events;
    expect(consumed.map((e) => e.eventName)).toEqual([
      'order.completed',
      'order.cancelled',
      'order.refunded',
      'payment.received',
    ]);
    expect(rows).toContain(
      "| consumed | `order.completed` | `order_events` (Order Service) | `customer-service.order-events` | Earn the order's points when an order is completed. | we publish `loyalty.points.earned`, `loyalty.tier.upgraded` |",
    );
    expect(rows).toContain(
      '| consumed | `payment.received` | `payment_events` (Payment Service) | `customer-service.payment-events` | Record a credit payment when a payment applies to a credit account. | we publish `credit.payment.received`, `credit.hold.released` |',
    );
    expect(rows.filter((row) => row.startsWith('| consumed |'))).toHaveLength(consumed.length);
  });

  it('when built from asyncapi.yaml, then every published event has its row beside them, with its consumers', () => {
    const published = rows.filter((row) => row.startsWith('| published |'));
    expect(published).toHaveLength(model.publishedChannelIds.size);
    expect(published).toContain(
      "| published | `credit.usage.cancelled` | `customer_events` | the consumer's own | Publish credit.usage.cancelled when a credit usage is cancelled. | consumed by Order, Notification, Analytics |",
    );
  });

  it("when built from asyncapi.yaml, then each consumed event says in full what the service does (the operation's description) and what it publishes", () => {
    for (const event of receivedEvents(model).events) {
      const at = section.indexOf(`#### \`${event.eventName}\``);
      expect(at, event.eventName).toBeGreaterThan(0);
      const next = section.indexOf('#### ', at + 5);
      const block = section.slice(at, next < 0 ? undefined : next);
      expect(block).toContain(`- **What we do:** ${event.description.replace(/\s+/g, ' ').trim()}`);
      expect(block).toContain(`- **We publish as a result:** ${event.publishes.map((n) => `\`${n}\``).join(', ')}`);
      expect(block).toContain(`\`${event.queue?.name}.dlq\``);
      expect(block).toContain(
        `- **Exchange:** \`${event.exchange?.name}\` (topic, owned by the ${event.exchangeOwner})`,
      );
    }
    expect(section.startsWith(`## ${EVENTS_SECTION_TITLE}`)).toBe(true);
  });

  it('when a cell would hold a pipe or a newline, then the table stays one row per event', () => {
    const operation = model.operations.get('receiveOrderCompleted');
    if (!operation) throw new Error('receiveOrderCompleted is in asyncapi.yaml');
    const copy = { ...model, operations: new Map(model.operations) };
    copy.operations.set('receiveOrderCompleted', { ...operation, summary: 'Earn | the\npoints.' });
    const row = eventsSection(copy)
      .split('\n')
      .find((line) => line.startsWith('| consumed | `order.completed`'));
    expect(row).toContain('| Earn \\| the points. |');
  });

  it('when the page misses one of our queues, then verification fails naming it', () => {
    const page = '<html><body><div id="root">order.completed</div><script></script></body></html>';
    expect(() => verifyPage(page, ['order.completed'], ['customer-service.order-events'])).toThrow(
      /queue customer-service\.order-events is not on the page/,
    );
  });
});
