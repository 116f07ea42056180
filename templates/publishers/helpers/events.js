/**
 * Turns the parsed AsyncAPI document into plain event descriptors, so that components get strings and arrays
 * rather than parser objects (and can be snapshot-tested with hand-made props).
 *
 * scripts/generate.ts checks the document's consistency (routing key = event name = payload `event` const,
 * one exchange) before the template runs; the errors thrown here only guard against running it on its own.
 */

/**
 * @typedef {object} EventDescriptor
 * @property {string} eventName       Event name, also the routing key (the channel address).
 * @property {string} functionName    Publisher function name (the operation id, e.g. `publishCustomerCreated`).
 * @property {string} fileName        Publisher file name in `publishers/` (e.g. `publish-customer-created.ts`).
 * @property {string} modulePath      Import path of the publisher from `index.ts`.
 * @property {string} envelopeType    Name of the payload model (the payload schema's title).
 * @property {string} summary         Operation summary.
 * @property {string} messageSummary  Message summary.
 * @property {string[]} consumers     Services that consume the event (`x-consumers` of the message).
 * @property {string} exchange        Exchange name from the channel's AMQP binding.
 * @property {string} exchangeType    Exchange type from the channel's AMQP binding.
 */

/** @param {string} name */
export function kebabCase(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/**
 * @param {import('@asyncapi/parser').AsyncAPIDocumentInterface} asyncapi
 * @returns {EventDescriptor[]} one descriptor per `send` operation, in document order
 */
export function eventDescriptors(asyncapi) {
  return asyncapi
    .operations()
    .filterBySend()
    .map((operation) => {
      const channels = operation.channels().all();
      const messages = operation.messages().all();
      if (channels.length !== 1 || messages.length !== 1) {
        throw new Error(`Operation ${operation.id()} must have exactly one channel and one message.`);
      }
      const channel = channels[0];
      const message = messages[0];
      const payload = message.payload();
      if (!payload) throw new Error(`Message ${message.id()} has no payload.`);
      const binding = channel.bindings().get('amqp');
      const exchange = binding?.value()?.exchange;
      if (!exchange?.name) throw new Error(`Channel ${channel.id()} has no AMQP exchange binding.`);
      const consumers = message.extensions().get('x-consumers')?.value() ?? [];
      const functionName = operation.id();
      return {
        eventName: channel.address(),
        functionName,
        fileName: `${kebabCase(functionName)}.ts`,
        modulePath: `./publishers/${kebabCase(functionName)}.js`,
        envelopeType: payload.title() ?? payload.id(),
        summary: operation.summary() ?? '',
        messageSummary: message.summary() ?? '',
        consumers: [...consumers],
        exchange: exchange.name,
        exchangeType: exchange.type ?? 'topic',
      };
    });
}

/**
 * The one exchange every event goes to.
 *
 * @param {EventDescriptor[]} events
 * @returns {{ name: string, type: string }}
 */
export function sharedExchange(events) {
  const names = new Set(events.map((event) => `${event.exchange}/${event.exchangeType}`));
  if (names.size !== 1 || !events[0]) {
    throw new Error(`All send operations must publish to one exchange; found ${[...names].join(', ') || 'none'}.`);
  }
  return { name: events[0].exchange, type: events[0].exchangeType };
}
