/**
 * The template does not walk the AsyncAPI document itself: scripts/generate.ts reads it once with the shared
 * model (scripts/lib/asyncapi), checks it, and passes the events and the exchange as the `model` parameter (JSON).
 * These helpers turn that into the descriptors the components get (plain strings and arrays, so components can
 * be snapshot-tested with hand-made props).
 */

/**
 * @typedef {object} AmqpProperty
 * @property {string | number | boolean} [value]  A constant set on every message.
 * @property {boolean} [required]                 Otherwise given per message: required or optional.
 * @property {string} [description]
 *
 * @typedef {object} WireSpec
 * @property {string} routingKey
 * @property {number} deliveryMode
 * @property {boolean} [mandatory]
 * @property {boolean} timestamp                  Whether the publisher sets the AMQP timestamp.
 * @property {string} contentType
 * @property {string} [messageType]               AMQP `type`.
 * @property {Record<string, AmqpProperty>} properties
 * @property {{ name: string, required: boolean, fromPayload: string, given: boolean }[]} headers
 *
 * @typedef {object} ExchangeSpec
 * @property {string} name
 * @property {string} type
 * @property {boolean} durable
 * @property {boolean} autoDelete
 * @property {string} vhost
 * @property {{ name: string, type: string, durable: boolean, queue?: { name: string, durable: boolean, arguments?: Record<string, string | number | boolean> } }} [alternateExchange]
 *
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
 * @property {WireSpec} wire          What the publisher sets on the message.
 */

/** @param {string} name */
export function kebabCase(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/**
 * @param {{ model?: string }} params
 * @returns {{ exchange: ExchangeSpec, events: any[], received?: any[] }} the model scripts/lib/generate/publishers.ts writes
 */
export function templateModel(params) {
  if (!params?.model) throw new Error('The publishers template is run by scripts/generate.ts, which passes `model`.');
  return JSON.parse(params.model);
}

/**
 * @param {{ model?: string }} params
 * @returns {EventDescriptor[]} one descriptor per `send` operation, in document order
 */
export function eventDescriptors(params) {
  const { exchange, events } = templateModel(params);
  return events.map((event) => ({
    eventName: event.eventName,
    functionName: event.operationId,
    fileName: `${kebabCase(event.operationId)}.ts`,
    modulePath: `./publishers/${kebabCase(event.operationId)}.js`,
    envelopeType: event.modelName,
    summary: event.summary,
    messageSummary: event.messageSummary,
    consumers: [...event.consumers],
    exchange: exchange.name,
    exchangeType: exchange.type,
    wire: event.wire,
  }));
}

/**
 * The one exchange every event goes to.
 *
 * @param {{ model?: string }} params
 * @returns {ExchangeSpec}
 */
export function sharedExchange(params) {
  return templateModel(params).exchange;
}

/**
 * The per-message AMQP properties the caller gives (neither a constant nor a binding field), and `timestamp` when
 * the binding says the publisher sets one: the members of `PublishOptions`.
 *
 * @param {EventDescriptor[]} events
 * @returns {{ name: string, required: boolean, description: string, type: string }[]}
 */
export function publishOptions(events) {
  const options = new Map();
  for (const event of events) {
    for (const [name, property] of Object.entries(event.wire.properties)) {
      if (property.value !== undefined || options.has(name)) continue;
      options.set(name, {
        name,
        required: property.required === true,
        description: property.description ?? '',
        type: 'string',
      });
    }
    const given = event.wire.headers.filter((header) => header.given);
    if (given.length > 0 && !options.has('headers')) {
      options.set('headers', {
        name: 'headers',
        required: false,
        description: `Application headers given per message (no \`x-value\` in the document): ${given
          .map((header) => `\`${header.name}\``)
          .join(', ')}; each is sent when given.`,
        type: `{ ${given.map((header) => `readonly ${header.name}?: string`).join('; ')} }`,
      });
    }
    if (event.wire.timestamp && !options.has('timestamp')) {
      options.set('timestamp', {
        name: 'timestamp',
        required: true,
        description: 'When the event is published; sent as whole seconds since the Unix epoch.',
        type: 'Date',
      });
    }
  }
  return [...options.values()];
}
