/** The JWT secret of every app and service the tests start (no vitest and no app code here: bench/ imports it). */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';
