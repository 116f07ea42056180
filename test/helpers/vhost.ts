import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { AMQP_URL } from './events.js';

const run = promisify(execFile);

/** rabbitmqctl lives in sbin, which a minimal PATH may leave out. */
const RABBITMQCTL = ['/usr/sbin/rabbitmqctl', '/usr/lib/rabbitmq/bin/rabbitmqctl'].find(existsSync) ?? 'rabbitmqctl';

export interface Vhost {
  readonly name: string;
  /** AMQP_URL on this virtual host. */
  readonly url: string;
  delete(): Promise<void>;
}

/**
 * A RabbitMQ virtual host of this test's own (guest has every permission on it): exchanges and queues the test
 * declares there are seen by no other test file, so files run in parallel without taking each other's messages.
 */
export async function createVhost(prefix = 'cs-test'): Promise<Vhost> {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  await run(RABBITMQCTL, ['-q', 'add_vhost', name]);
  await run(RABBITMQCTL, ['-q', 'set_permissions', '-p', name, 'guest', '.*', '.*', '.*']);
  const url = new URL(AMQP_URL);
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    name,
    url: url.toString(),
    delete: async () => {
      await run(RABBITMQCTL, ['-q', 'delete_vhost', name]);
    },
  };
}
