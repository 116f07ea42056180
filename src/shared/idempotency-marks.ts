/**
 * The request hash of a remembered answer (Idempotency-Key) after its customer was anonymized: the hash taken over
 * their personal data is gone, and a retry with the key replays the scrubbed answer whatever its body.
 */
export const ANONYMIZED_REQUEST_HASH = 'anonymized';
