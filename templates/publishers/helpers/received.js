import { templateModel } from './events.js';

/**
 * @typedef {object} ReceivedDescriptor
 * @property {string} eventName     Event name, also the routing key (the channel address).
 * @property {string} operationId   The receive operation's id.
 * @property {string} envelopeType  Name of the payload model (the payload schema's title).
 * @property {string} summary       What the service does with it (the operation's summary).
 * @property {{ name: string, type: string, durable: boolean }} exchange
 * @property {{ name: string, type: string, durable: boolean }} queue
 *
 * @typedef {object} InboundQueue
 * @property {string} queue
 * @property {string} queueType
 * @property {{ name: string, type: string, durable: boolean }} exchange
 * @property {string[]} routingKeys
 */

/**
 * @param {{ model?: string }} params
 * @returns {ReceivedDescriptor[]} one descriptor per `receive` operation, in document order
 */
export function receivedDescriptors(params) {
  const { received = [] } = templateModel(params);
  return received.map((event) => ({
    eventName: event.eventName,
    operationId: event.operationId,
    envelopeType: event.modelName,
    summary: event.summary,
    exchange: event.exchange,
    queue: event.queue,
  }));
}

/**
 * Our queues, in the order their first event appears, each with its exchange and routing keys.
 *
 * @param {{ model?: string }} params
 * @returns {InboundQueue[]}
 */
export function inboundQueues(params) {
  const queues = new Map();
  for (const event of receivedDescriptors(params)) {
    const known = queues.get(event.queue.name);
    if (known) known.routingKeys.push(event.eventName);
    else {
      queues.set(event.queue.name, {
        queue: event.queue.name,
        queueType: event.queue.type,
        exchange: { name: event.exchange.name, type: event.exchange.type, durable: event.exchange.durable },
        routingKeys: [event.eventName],
      });
    }
  }
  return [...queues.values()];
}
