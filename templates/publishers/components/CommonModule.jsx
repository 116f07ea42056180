import { Text } from '@asyncapi/generator-react-sdk';
import { tsString } from '../helpers/text.js';

/**
 * Body of `publishers/common.ts`: what every publisher shares.
 *
 * @param {{ exchange: string, exchangeType: string, appId: string }} props
 */
export function CommonModule({ exchange, exchangeType, appId }) {
  return (
    <Text>
      {[
        '/** Exchange every event is published to (the AMQP binding of the channels). */',
        `export const EXCHANGE = ${tsString(exchange)} as const;`,
        '',
        '/** Type of {@link EXCHANGE}. */',
        `export const EXCHANGE_TYPE = ${tsString(exchangeType)} as const;`,
        '',
        '/** AMQP `appId` property of every message. */',
        `export const APP_ID = ${tsString(appId)} as const;`,
        '',
        '/** Per-message AMQP properties chosen by the caller. */',
        'export interface PublishOptions {',
        '  /** Unique id of the event, stable across retries: consumers de-duplicate on it. */',
        '  messageId: string;',
        '  /** Id of the HTTP request that caused the event. */',
        '  correlationId?: string;',
        '  /** When the event is published; sent as whole seconds since the Unix epoch. */',
        '  timestamp: Date;',
        '}',
      ].join('\n')}
    </Text>
  );
}
