import { Text } from '@asyncapi/generator-react-sdk';

/**
 * The handler lines of the README's consumer for one event: reads the first field of its `data`, so the example
 * shows a typed field of the contract.
 *
 * @param {import('../helpers/model.js').SdkEvent} event
 */
function handlerLines(event) {
  const field = event.dataFields[0];
  const read = field ? `\${event.data.${field}}` : `\${event.organization_id}`;
  return [
    `    '${event.eventName}': async (event, meta) => {`,
    `      console.log(\`${event.eventName} ${read} (message \${meta.messageId}, attempt \${meta.attempt})\`);`,
    '    },',
  ];
}

/**
 * `README.md` of the package: a complete, runnable consumer, then the behaviours.
 *
 * @param {{ version: string, exchange: { name: string }, events: import('../helpers/model.js').SdkEvent[] }} props
 */
export function Readme({ version, exchange, events }) {
  const shown = events.slice(0, 2);
  const [first] = events;
  const list = events.map((event) => `- \`${event.eventName}\` (\`${event.modelName}\`): ${event.summary}`);
  return (
    <Text>
      {[
        '# @customer-service/events',
        '',
        `Typed consumer of the Customer Service events (contract version ${version}), generated from its AsyncAPI`,
        `document: every event published to the \`${exchange.name}\` topic exchange of RabbitMQ, with its types, its`,
        'consumer JSON Schema, its examples, and a consumer that validates, de-duplicates, retries and dead-letters.',
        'ESM with type declarations; Node ≥ 20; runtime dependencies `amqplib`, `ajv`, `ajv-formats`, `@opentelemetry/api`.',
        '',
        '## A complete consumer',
        '',
        '```sh',
        'npm install @customer-service/events',
        '```',
        '',
        '```ts',
        "import { createConsumer, memoryDedupe } from '@customer-service/events';",
        '',
        'const consumer = await createConsumer({',
        "  url: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',",
        "  queue: process.env.QUEUE ?? 'my-team.customer-events',",
        '  handlers: {',
        ...shown.flatMap(handlerLines),
        '  },',
        '  prefetch: 20,',
        '  retry: { delaysMs: [1000, 10000, 60000] },',
        '  dedupe: memoryDedupe({ max: 100_000 }),',
        "  queueType: 'quorum',",
        '});',
        '',
        "for (const signal of ['SIGINT', 'SIGTERM'] as const) {",
        '  process.once(signal, () => {',
        '    void consumer.close();',
        '  });',
        '}',
        '```',
        '',
        'Each handler gets its event typed by its key (`EventEnvelopeMap[name]`): a key that is not an event, or a',
        'field the contract does not have, is a TypeScript error. `meta` has `messageId`, `correlationId`,',
        '`routingKey`, `redelivered`, `attempt` (1 on the first delivery) and `headers`.',
        '',
        '## What it does',
        '',
        `- **Topology.** A durable queue (\`queueType\`, default \`quorum\`) bound to \`${exchange.name}\` with`,
        '  `bindings` (default: the event names of `handlers`; wildcards such as `loyalty.#` work), retry queues',
        '  `<queue>.retry.<delay>ms` whose messages expire after their delay back into the queue, and `<queue>.dlq`.',
        `- **It never declares \`${exchange.name}\`.** It checks that it exists. The exchange is declared by the service`,
        '  with an `alternate-exchange` argument; a durable exchange keeps the arguments of whoever declared it first, so',
        '  declaring it with other ones fails with `406 PRECONDITION_FAILED` and closes your channel.',
        '- **Validation.** Each body is checked against the consumer schema of its event; unknown extra fields are',
        '  accepted (tolerant reader). A body that is not JSON or fails the schema goes straight to `<queue>.dlq` with',
        '  header `x-error` naming the field; the handler is not called.',
        '- **Retries.** A handler that throws gets the message again after each delay of `retry.delaysMs` (default',
        '  1 s, 10 s, 60 s), then the message goes to `<queue>.dlq` with `x-error` (the error message) and `x-attempts`',
        '  (the number of deliveries). Dead-lettered messages keep their body, `messageId` and properties.',
        '- **De-duplication.** Delivery is at least once: a message whose `messageId` was handled successfully before is',
        '  acknowledged without calling the handler. `memoryDedupe({ max })` is the default; give any',
        '  `{ seen(id): Promise<boolean>; remember(id): Promise<void> }` to share it between instances or restarts.',
        '- **Events without a handler** (wildcard bindings) are acknowledged and skipped.',
        '- **Reconnection.** When the connection drops it reconnects by itself; unacknowledged messages are delivered',
        '  again, and the ones already handled are recognised by their `messageId`.',
        '- **`close()`** stops consuming, waits for the running handlers, then closes the connection.',
        '- **Tracing.** Each delivery runs under an OpenTelemetry `process ' +
          exchange.name +
          '` CONSUMER span, a child',
        "  of the context in the message's `traceparent` header (the request that caused the event) and linked to it,",
        '  with the messaging attributes and `customer_service.consumer.outcome` (`applied`, `skipped`, `duplicate`,',
        '  `retried`, `dead_lettered`); spans your handler starts belong to the same trace. It uses only',
        '  `@opentelemetry/api`: register an OpenTelemetry SDK in your process to record them, otherwise it costs nothing.',
        '',
        '## In your unit tests',
        '',
        '```ts',
        "import { examples, validateEvent } from '@customer-service/events';",
        '',
        ...(first
          ? [
              `const [sample] = examples['${first.eventName}'];`,
              `const result = validateEvent('${first.eventName}', sample); // { ok: true } or { ok: false, errors: [{ field, message }] }`,
            ]
          : []),
        '```',
        '',
        '`EVENT_NAMES` lists every event; `eventSchemas[name]` is its consumer JSON Schema.',
        '',
        '## Events',
        '',
        ...list,
        '',
      ].join('\n')}
    </Text>
  );
}
