/**
 * `npm run events:replay -- --queue <name> (--org <id> | --all-organizations) [--since <RFC 3339>] [--events <pattern>]`:
 * republishes the stored (sent) events of the outbox, in their original order, to ONE queue through the default
 * exchange (never customer_events), with their original messageId and header `x-replayed: true`; prints how many
 * it sent. Sent events are kept OUTBOX_RETENTION_DAYS (default 30). DATABASE_URL and AMQP_URL as for the service.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { replayEvents } from './lib/events/replay.js';

const { values } = parseArgs({
  options: {
    queue: { type: 'string' },
    org: { type: 'string' },
    'all-organizations': { type: 'boolean' },
    since: { type: 'string' },
    events: { type: 'string' },
  },
});
try {
  if (!values.queue) throw new Error('--queue <name> is required');
  if (values.org === undefined && !values['all-organizations']) {
    throw new Error('--org <id> is required (or --all-organizations, to replay every organization)');
  }
  const since = values.since === undefined ? undefined : new Date(values.since);
  if (since && Number.isNaN(since.getTime())) throw new Error(`--since: not an RFC 3339 date-time: ${values.since}`);
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    const sent = await replayEvents(db, config.AMQP_URL, {
      queue: values.queue,
      org: values.org,
      allOrganizations: values['all-organizations'],
      since,
      events: values.events,
    });
    console.log(`Replayed ${sent} event(s) to queue ${values.queue}.`);
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
