/**
 * `npm run outbox:dead-letters -- list | retry <id> | retry --all | discard <id>`: the outbox rows the relay could
 * not publish and moved aside (table outbox_dead_letters, migration 0007). `list` prints one line per dead letter
 * (outbox id, moved at, organization, event, message id, reason, detail; never the body). `retry` puts a dead letter
 * this build can publish back into the outbox as a new row with the same message id (refusing, and keeping, one it
 * still cannot publish); `discard` deletes one for good. DATABASE_URL as for the service.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { discardDeadLetter, listDeadLetters } from '../src/outbox/dead-letters.repository.js';
import { openDatabase } from '../src/plugins/database.plugin.js';
import { describeDeadLetter, retryDeadLetters } from './lib/outbox/dead-letters.js';

const USAGE = 'usage: npm run outbox:dead-letters -- list | retry <outbox id> | retry --all | discard <outbox id>';

const { values, positionals } = parseArgs({ options: { all: { type: 'boolean' } }, allowPositionals: true });
try {
  const [command, id, ...extra] = positionals;
  const needsId = command === 'discard' || (command === 'retry' && !values.all);
  if (!['list', 'retry', 'discard'].includes(command ?? '') || extra.length > 0) throw new Error(USAGE);
  if (needsId && !/^\d+$/.test(id ?? '')) throw new Error(`${command} needs the outbox id of a dead letter\n${USAGE}`);
  if (!needsId && id !== undefined) throw new Error(USAGE);
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    if (command === 'list') {
      const letters = await listDeadLetters(db);
      for (const d of letters) console.log(describeDeadLetter(d));
      console.log(`${letters.length} dead letter(s).`);
    } else if (command === 'retry') {
      const outcomes = await retryDeadLetters(db, values.all ? 'all' : String(id));
      for (const o of outcomes) {
        if ('requeuedAs' in o) console.log(`${o.outboxId}: back in the outbox as row ${o.requeuedAs}`);
        else console.error(`${o.outboxId}: not retried: ${o.refused}`);
      }
      const requeued = outcomes.filter((o) => 'requeuedAs' in o).length;
      console.log(`Retried ${requeued} of ${outcomes.length} dead letter(s).`);
      if (requeued < outcomes.length) process.exitCode = 1;
    } else {
      if (!(await discardDeadLetter(db, String(id)))) throw new Error(`${id}: no such dead letter`);
      console.log(`${id}: discarded.`);
    }
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
