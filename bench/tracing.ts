import { createTestDatabase } from '../test/helpers/database.js';
import { AMQP_URL } from '../test/helpers/events.js';
import { freePort, spawnNode, waitHttp } from '../test/helpers/process.js';
import type { LoadResult } from './load.js';
import { waitOutboxEmpty, writeRate } from './phases.js';
import { startService } from './service.js';

/** The write rate with tracing on, and what the receiver took. */
export interface TracedResult {
  load: LoadResult;
  exports: number;
  bytes: number;
}

/**
 * The service on a fresh PostgreSQL database with OpenTelemetry on (the standard OTEL_* settings: an OTLP/HTTP
 * endpoint, the SDK's default protobuf encoding and batch processor, every trace sampled), exporting to a receiver
 * process on loopback (test/helpers/otlp-receiver.ts); the same earn load as the write-rate row.
 */
export async function tracedWriteRate(refPrefix: string): Promise<TracedResult> {
  const port = await freePort();
  const receiver = spawnNode(['--import', 'tsx', 'test/helpers/otlp-receiver.ts'], { PORT: String(port) });
  const db = await createTestDatabase('cs_bench');
  try {
    await waitHttp(`http://127.0.0.1:${port}/stats`, receiver);
    const svc = await startService({
      DATABASE_URL: db.url,
      AMQP_URL,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: 'customer-service-bench',
    });
    try {
      const load = await writeRate(svc, refPrefix);
      await waitOutboxEmpty(svc, 30_000);
      await svc.stop(); // flushes the spans not exported yet
      const stats = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as {
        requests: number;
        bytes: number;
      };
      return { load, exports: stats.requests, bytes: stats.bytes };
    } finally {
      await svc.stop();
    }
  } finally {
    await receiver.stop();
    await db.drop();
  }
}
