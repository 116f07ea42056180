import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests share one RabbitMQ and one PostgreSQL server; each file makes its own database/organization,
    // but the fault tests stop and start services, so files run one at a time.
    fileParallelism: false,
  },
});
