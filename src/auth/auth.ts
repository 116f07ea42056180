import { createSecretKey, type KeyObject } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { importSPKI, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { type Config, developmentRefusal } from '../config.js';
import { problems } from '../errors.js';
import type { Principal } from '../shared/context.js';
import { isStorableText } from '../shared/text.js';

export type { Principal };

export interface Authenticator {
  readonly mode: 'hs256' | 'public-key' | 'development';
  verify(authorization: string | undefined): Promise<Principal>;
  /** Development mode only: a token for the demo organization, valid for JWT_MAX_AGE_SECONDS. */
  developmentToken?: string;
  /** Drops the verified-token cache. */
  forget(): void;
}

/** Development mode signs with this fixed secret so the printed token survives restarts. Never used in production. */
const DEVELOPMENT_SECRET = 'customer-service-development-secret-not-for-production';
export const DEVELOPMENT_ORG = 'org_demo';

/** An HS256 token with `iat` and `exp` (both are checked: docs/security.md); `iss`/`aud` when given. */
export async function signToken(
  secret: string,
  claims: { org: string; sub: string; roles?: string[]; iss?: string; aud?: string },
  expiresIn: string | number = '1h',
): Promise<string> {
  const jwt = new SignJWT({ org: claims.org, roles: claims.roles ?? [] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (claims.iss !== undefined) jwt.setIssuer(claims.iss);
  if (claims.aud !== undefined) jwt.setAudience(claims.aud);
  return jwt.sign(createSecretKey(Buffer.from(secret)));
}

type TokenRules = Pick<Config, 'JWT_MAX_AGE_SECONDS' | 'JWT_CLOCK_TOLERANCE_SECONDS'>;

/**
 * The lifetime rules jose's options cannot say alone: `iat` may not lie in the future (beyond the tolerance), a
 * token is refused JWT_MAX_AGE_SECONDS after its `iat`, and a token without `iat` must expire within that age
 * (otherwise a token minted with `exp` years ahead would work for years). Returns when the token stops being valid.
 */
function checkLifetime(payload: { iat?: number; exp?: number }, rules: TokenRules, nowSeconds: number): number {
  const tolerance = rules.JWT_CLOCK_TOLERANCE_SECONDS;
  const maxAge = rules.JWT_MAX_AGE_SECONDS;
  const exp = payload.exp as number;
  if (payload.iat === undefined) {
    if (exp - nowSeconds > maxAge + tolerance) {
      throw problems.unauthorized(`The token has no 'iat' and expires more than ${maxAge} seconds from now.`);
    }
    return exp;
  }
  if (payload.iat > nowSeconds + tolerance) throw problems.unauthorized("The token's 'iat' is in the future.");
  if (nowSeconds - payload.iat > maxAge + tolerance) {
    throw problems.unauthorized(`The token was issued more than ${maxAge} seconds ago.`);
  }
  return Math.min(exp, payload.iat + maxAge + tolerance);
}

/** `org` and `sub` are written to every row and event: 1–200 characters PostgreSQL can store verbatim. */
function isIdentity(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 && isStorableText(value);
}

function principalFrom(payload: Record<string, unknown>): Principal {
  const { org, sub, roles } = payload;
  if (!isIdentity(org)) {
    throw problems.unauthorized("The token has no valid 'org' claim.");
  }
  if (!isIdentity(sub)) {
    throw problems.unauthorized("The token has no valid 'sub' claim.");
  }
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((r) => typeof r === 'string'))) {
    throw problems.unauthorized("The token's 'roles' claim must be an array of strings.");
  }
  return { org, sub, roles: (roles as string[] | undefined) ?? [] };
}

export async function createAuthenticator(config: Config): Promise<Authenticator> {
  let key: KeyObject | PublicKey;
  let algorithms: string[];
  let mode: Authenticator['mode'];
  if (config.JWT_PUBLIC_KEY) {
    mode = 'public-key';
    algorithms = ['RS256', 'ES256'];
    key = await importPublicKey(config.JWT_PUBLIC_KEY);
  } else {
    mode = config.JWT_SECRET ? 'hs256' : 'development';
    // loadConfig refuses this already; a Config assembled by hand (tests, scripts) must not slip past it.
    const refusal = mode === 'development' ? developmentRefusal(config) : null;
    if (refusal !== null) throw new Error(`development auth is refused because ${refusal}`);
    algorithms = ['HS256'];
    key = createSecretKey(Buffer.from(config.JWT_SECRET ?? DEVELOPMENT_SECRET));
  }

  // Verified tokens, until they expire: a point-of-sale client sends the same token for hours, and verifying its
  // signature is a large share of a request's CPU. Bounded; kept until the token stops being valid.
  const verifyOptions = {
    algorithms,
    requiredClaims: ['exp'],
    clockTolerance: config.JWT_CLOCK_TOLERANCE_SECONDS,
    ...(config.JWT_ISSUER !== undefined && { issuer: config.JWT_ISSUER }),
    ...(config.JWT_AUDIENCE !== undefined && { audience: config.JWT_AUDIENCE }),
  };
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  const authenticator: Authenticator = {
    mode,
    async verify(authorization) {
      const hit = authorization === undefined ? undefined : verified.get(authorization);
      if (hit && hit.expiresAt > Date.now()) return hit.principal;
      // The auth scheme is case-insensitive (RFC 9110 §11.1).
      const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i.exec(authorization ?? '');
      if (!match?.[1]) throw problems.unauthorized();
      try {
        // `algorithms` is an allow-list: `alg: none` and algorithm confusion are refused by jose.
        const { payload } = await jwtVerify(match[1], key, verifyOptions);
        const validUntil = checkLifetime(payload, config, Math.floor(Date.now() / 1000));
        const principal = Object.freeze(principalFrom(payload));
        if (authorization !== undefined) {
          if (verified.size >= 10_000) verified.clear();
          verified.set(authorization, { principal, expiresAt: validUntil * 1000 });
        }
        return principal;
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw problems.unauthorized('The token has expired.');
        if (err instanceof joseErrors.JWTClaimValidationFailed) {
          throw problems.unauthorized(`The token's '${err.claim}' claim is missing or not accepted.`);
        }
        if (err instanceof joseErrors.JOSEError) throw problems.unauthorized('The token is not valid.');
        throw err;
      }
    },
    forget: () => verified.clear(),
  };
  if (mode === 'development') {
    authenticator.developmentToken = await signToken(
      DEVELOPMENT_SECRET,
      { org: DEVELOPMENT_ORG, sub: 'dev_user', roles: ['credit_manager', 'loyalty_admin', 'privacy_officer'] },
      `${config.JWT_MAX_AGE_SECONDS}s`,
    );
  }
  return authenticator;
}

type PublicKey = Awaited<ReturnType<typeof importSPKI>>;

async function importPublicKey(pem: string): Promise<PublicKey> {
  try {
    return await importSPKI(pem, 'RS256');
  } catch {
    return importSPKI(pem, 'ES256');
  }
}

/** The roles a token can carry; each guards the routes its summary names. */
export type Role = 'credit_manager' | 'loyalty_admin' | 'privacy_officer';

export function requireRole(principal: Principal, role: Role): void {
  if (!principal.roles.includes(role)) throw problems.forbidden(role);
}

/** The one role hook every feature's routes use (`preValidation`), so a route's guard is never spelled twice. */
export function roleHook(role: Role): (request: FastifyRequest) => Promise<void> {
  return async (request) => requireRole(request.principal, role);
}
