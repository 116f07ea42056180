import { BlockList, isIP } from 'node:net';
import { Ajv } from 'ajv';
import { type Clock, parseDuration, systemClock } from './shared/clock.js';
import type { FromSchema } from './shared/schema-types.js';

/** Every setting the service reads, with its default. Validated once at boot; bad config fails fast. */
const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    PUBLIC_URL: {
      description: "The URL clients reach the service at (the OpenAPI document's `servers`); unset: http://HOST:PORT.",
      type: 'string',
      pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$',
    },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    PGLITE_DIR: { type: 'string', minLength: 1, default: './data/pglite' },
    DB_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 200, default: 10 },
    AMQP_URL: { type: 'string', pattern: '^amqps?://', default: 'amqp://guest:guest@127.0.0.1:5672' },
    JWT_SECRET: { type: 'string', minLength: 1 },
    JWT_PUBLIC_KEY: { type: 'string', pattern: '-----BEGIN PUBLIC KEY-----' },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    LOG_FORMAT: {
      description:
        'Unset: human-readable lines when stdout is a terminal and pino-pretty is installed, JSON otherwise.',
      type: 'string',
      enum: ['json', 'pretty'],
    },
    NODE_ENV: { type: 'string', default: 'development' },
    CLOCK_OFFSET: {
      description:
        'ISO 8601 duration (`P31D`, `PT36H`) the service clock is shifted forward by; refused in production.',
      type: 'string',
      minLength: 2,
    },
    RELAY_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 10_000, default: 500 },
    RELAY_MAX_IN_FLIGHT: { type: 'integer', minimum: 1, maximum: 100_000, default: 1000 },
    RELAY_POLL_MS: { type: 'integer', minimum: 10, maximum: 60_000, default: 250 },
    OUTBOX_RETENTION_DAYS: { type: 'number', minimum: 0, default: 30 },
    OUTBOX_RETENTION_HOURS: {
      description: 'Overrides OUTBOX_RETENTION_DAYS when set (the older setting); otherwise derived from it.',
      type: 'number',
      minimum: 0,
    },
    IDEMPOTENCY_TTL_HOURS: { type: 'number', minimum: 24, default: 48 },
    RATE_LIMIT_PER_MINUTE: { type: 'integer', minimum: 1, default: 60_000 },
    LOYALTY_EXPIRY_INTERVAL_SECONDS: {
      description: 'How often loyalty points expire by themselves (all organizations, one instance at a time).',
      type: 'integer',
      minimum: 1,
      maximum: 604_800,
      default: 3600,
    },
    CREDIT_OVERDUE_INTERVAL_SECONDS: {
      description:
        'How often overdue credit usages are announced and their accounts held (all organizations, one instance at a time).',
      type: 'integer',
      minimum: 1,
      maximum: 604_800,
      default: 3600,
    },
    // Inbound: the events of other services the service consumes (docs/consumed-events.md).
    INBOUND: {
      description: '`on`: consume order_events and payment_events (every instance); `off`: consume nothing.',
      type: 'string',
      enum: ['on', 'off'],
      default: 'on',
    },
    INBOUND_PREFETCH: {
      description: 'Consumed messages handled at the same time per inbound queue and instance.',
      type: 'integer',
      minimum: 1,
      maximum: 10_000,
      default: 50,
    },
    INBOUND_DECLARE_EXCHANGES: {
      description:
        "`on`: declare the producers' exchanges (topic, durable); `off`: wait until they exist. Unset: on unless NODE_ENV=production.",
      type: 'string',
      enum: ['on', 'off'],
    },
    INBOX_RETENTION_DAYS: {
      description: 'Inbox rows (consumed message ids) older than this are purged; business keys keep protecting.',
      type: 'number',
      minimum: 1,
      default: 30,
    },
    // Security settings (docs/security.md).
    JWT_MAX_AGE_SECONDS: {
      description: 'A token is refused this long after its `iat`; a token without `iat` must expire within it.',
      type: 'integer',
      minimum: 60,
      maximum: 2_592_000,
      default: 86_400,
    },
    JWT_CLOCK_TOLERANCE_SECONDS: {
      description: "Leeway for `exp`, `nbf` and `iat` against the service clock (clients' clocks drift).",
      type: 'integer',
      minimum: 0,
      maximum: 300,
      default: 30,
    },
    JWT_ISSUER: { description: 'When set, tokens must carry exactly this `iss`.', type: 'string', minLength: 1 },
    JWT_AUDIENCE: { description: 'When set, tokens must name this `aud`.', type: 'string', minLength: 1 },
    RATE_LIMIT_IP_PER_MINUTE: {
      description:
        'Requests per client IP per minute, counted before authentication (401/403/400 floods included), then 429.',
      type: 'integer',
      minimum: 1,
      default: 60_000,
    },
    TRUST_PROXY: {
      description: "Fastify `trustProxy`: unset trusts no proxy (the client IP is the socket's peer).",
      type: 'string',
      minLength: 1,
    },
    METRICS_TOKEN: {
      description: 'When set, `/metrics` needs `Authorization: Bearer <METRICS_TOKEN>`.',
      type: 'string',
      minLength: 16,
    },
    SIGNING_KEY: {
      description:
        'HMAC key of the list cursors (≥ 32 bytes); unset: a built-in development key, refused outside development.',
      type: 'string',
      minLength: 1,
    },
  },
} as const;

/** The settings as validated: every default applied. */
export type Settings = FromSchema<typeof schema>;

/** The settings the service runs with: OUTBOX_RETENTION_HOURS resolved (set, or derived from the days). */
export type Config = Settings & { OUTBOX_RETENTION_HOURS: number };

export class ConfigError extends Error {}

const validate = new Ajv({ useDefaults: true, coerceTypes: true, allErrors: true }).compile<Settings>(schema);

/** Reads the settings from `env` (process.env by default). Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  if (!validate(input)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath.slice(1) || 'settings'} ${e.message}`);
    throw new ConfigError(`invalid settings: ${problems.join('; ')}`);
  }
  const config: Config = {
    ...input,
    OUTBOX_RETENTION_HOURS: input.OUTBOX_RETENTION_HOURS ?? input.OUTBOX_RETENTION_DAYS * 24,
  };
  if (config.JWT_SECRET && config.JWT_PUBLIC_KEY) {
    throw new ConfigError('invalid settings: set either JWT_SECRET or JWT_PUBLIC_KEY, not both');
  }
  if (config.CLOCK_OFFSET !== undefined && parseDuration(config.CLOCK_OFFSET) === null) {
    throw new ConfigError('invalid settings: CLOCK_OFFSET must be an ISO 8601 duration such as P31D or PT36H');
  }
  checkSecuritySettings(config);
  return config;
}

/** The service clock: the system clock shifted by CLOCK_OFFSET. */
export function clockOf(config: Config): Clock {
  return systemClock(config.CLOCK_OFFSET ? (parseDuration(config.CLOCK_OFFSET) ?? 0) : 0);
}

/** Whether the inbound consumer declares the producers' exchanges: INBOUND_DECLARE_EXCHANGES, else not in production. */
export function declaresInboundExchanges(config: Pick<Config, 'INBOUND_DECLARE_EXCHANGES' | 'NODE_ENV'>): boolean {
  return (config.INBOUND_DECLARE_EXCHANGES ?? (config.NODE_ENV === 'production' ? 'off' : 'on')) === 'on';
}

export function isDevelopmentAuth(config: Config): boolean {
  return !config.JWT_SECRET && !config.JWT_PUBLIC_KEY;
}

// --- Security rules (docs/security.md) ---

/** The NODE_ENV values under which development conveniences may run; unset reads as `development`. */
const DEVELOPMENT_ENVIRONMENTS = new Set(['development', 'test']);

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Whether `host` only accepts connections from this machine: 127.0.0.0/8, ::1 or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  const family = isIP(h);
  if (family === 4) return loopback.check(h, 'ipv4');
  if (family === 6) return loopback.check(h, 'ipv6');
  return false;
}

/**
 * Why development conveniences (the built-in JWT secret, CLOCK_OFFSET) are refused under `config`, or null when
 * they are allowed: only for a development or test NODE_ENV and only while the service listens on loopback, so a
 * typo in NODE_ENV or a public HOST never starts a service anyone can sign tokens for.
 */
export function developmentRefusal(config: Pick<Config, 'NODE_ENV' | 'HOST'>): string | null {
  if (!DEVELOPMENT_ENVIRONMENTS.has(config.NODE_ENV)) {
    return `NODE_ENV=${config.NODE_ENV} is not development or test`;
  }
  if (!isLoopbackHost(config.HOST)) return `HOST=${config.HOST} is not a loopback address`;
  return null;
}

const MIN_SECRET_BYTES = 32;

/** Known from the source, like the development JWT secret: only ever used where development auth may run. */
const DEVELOPMENT_SIGNING_KEY = 'customer-service-development-signing-key-not-secret';

/** The key that signs server-issued tokens such as list cursors. */
export function signingKey(config: Pick<Config, 'SIGNING_KEY'>): string {
  return config.SIGNING_KEY ?? DEVELOPMENT_SIGNING_KEY;
}

function checkSecuritySettings(config: Config): void {
  if (config.JWT_SECRET !== undefined && Buffer.byteLength(config.JWT_SECRET, 'utf8') < MIN_SECRET_BYTES) {
    throw new ConfigError(
      `invalid settings: JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 48\`)`,
    );
  }
  if (config.SIGNING_KEY !== undefined && Buffer.byteLength(config.SIGNING_KEY, 'utf8') < MIN_SECRET_BYTES) {
    throw new ConfigError(`invalid settings: SIGNING_KEY must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  const refusal = developmentRefusal(config);
  if (refusal !== null && isDevelopmentAuth(config)) {
    throw new ConfigError(
      `invalid settings: development auth (no JWT_SECRET or JWT_PUBLIC_KEY) is refused because ${refusal}; ` +
        `set JWT_SECRET (at least ${MIN_SECRET_BYTES} bytes, HS256) or JWT_PUBLIC_KEY (RS256/ES256 PEM)`,
    );
  }
  if (config.CLOCK_OFFSET !== undefined && refusal !== null) {
    throw new ConfigError(
      `invalid settings: CLOCK_OFFSET is refused because ${refusal}; it is only for development and tests on loopback`,
    );
  }
  // Cursors are encrypted with it: a well-known key would let anyone read them. Unlike the JWT secret it does not
  // depend on HOST: a development service on 0.0.0.0 with a real JWT secret may still use the built-in key.
  if (config.SIGNING_KEY === undefined && !DEVELOPMENT_ENVIRONMENTS.has(config.NODE_ENV)) {
    throw new ConfigError(
      `invalid settings: SIGNING_KEY is required when NODE_ENV=${config.NODE_ENV} ` +
        `(at least ${MIN_SECRET_BYTES} bytes, e.g. \`openssl rand -base64 48\`)`,
    );
  }
}
