import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests share one RabbitMQ and one PostgreSQL server; each file makes its own database and organization, and
    // the fault tests inject outages through their own TCP proxies, so files run in parallel.
    fileParallelism: true,
    // One worker per core (at least two). The suite is CPU-bound: on a 2-core machine, 2 workers ran it in 247 s,
    // 4 workers in 279-294 s, 1 worker (vitest's default there, cores - 1) in 371 s.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
