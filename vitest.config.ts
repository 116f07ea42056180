import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests share one RabbitMQ and one PostgreSQL server; each file makes its own database and organization, and
    // the fault tests inject outages through their own TCP proxies, so files run in parallel.
    fileParallelism: true,
  },
});
