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
    // Most of a file's time is spent waiting on PostgreSQL, RabbitMQ or a child process, so twice as many workers
    // as cores keeps the cores busy (vitest's default, cores - 1, is a single worker on a 2-core machine).
    maxWorkers: Math.max(2, availableParallelism() * 2),
  },
});
