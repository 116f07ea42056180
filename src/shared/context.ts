/** Who acts: from the verified bearer token. */
export interface Principal {
  /** organization_id: scopes every query and every event. */
  org: string;
  /** The acting user's id (ledger actor, credit approved_by). */
  sub: string;
  roles: readonly string[];
}

/** What a use case needs to know about who asks and when. */
export interface UseCaseContext {
  principal: Principal;
  /** The HTTP request id; the events' correlationId. */
  requestId: string;
  now: Date;
}
