/* Settings of the tests (no vitest and no app code here: bench/ imports it). */

/** The JWT secret of every app and service the tests start. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';

/** The machine's RabbitMQ (the AMQP_URL setting); tests that reach it through a TcpProxy use its host and port. */
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
