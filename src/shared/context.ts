import type { Principal } from '../auth/auth.js';

/** What a use case needs to know about who asks and when. */
export interface UseCaseContext {
  principal: Principal;
  /** The HTTP request id; the events' correlationId. */
  requestId: string;
  now: Date;
}
