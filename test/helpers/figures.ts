import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** Figures the reliability tests measured, gathered in test-output/guarantees.json for the README. */
const figuresFile = 'test-output/guarantees.json';

export function recordFigures(name: string, figures: Record<string, number>): void {
  mkdirSync('test-output', { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(figuresFile, 'utf8'));
  } catch {
    // first figure of this run
  }
  all[name] = figures;
  writeFileSync(figuresFile, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`[guarantees] ${name}: ${JSON.stringify(figures)}`);
}

/** Requests the app answered, by status class, from its own http_request_duration_seconds histogram. */
export async function answeredRequests(app: FastifyInstance): Promise<Record<string, number>> {
  const metric = await app.metrics.httpDuration.get();
  const counts: Record<string, number> = { total: 0, '2xx': 0, '4xx': 0, '5xx': 0 };
  for (const v of metric.values) {
    if (!v.metricName?.endsWith('_count')) continue;
    const cls = `${String(v.labels.status_code).slice(0, 1)}xx`;
    counts[cls] = (counts[cls] ?? 0) + v.value;
    counts.total = (counts.total ?? 0) + v.value;
  }
  return counts;
}
