import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsIP,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidateIf,
  ValidationError,
} from 'class-validator';
import {
  IsAddressRanges,
  IsDatabaseUrl,
  IsIanaZone,
  IsRedisUrl,
  IsWebhookAllowlist,
} from './environment.validators';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'test', 'production'] as const;

/** Variables without a default: absent from a fresh instance's keys, so listed here. */
const OPTIONAL = ['STEPWISE_ADMIN_TOKEN', 'STEPWISE_SECRET_KEY', 'STEPWISE_LISTEN_HOST'];

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/**
 * Every environment variable Stepwise reads. The configuration table in docs/operations.md lists
 * the same names; a missing or malformed value stops the process with a message naming the
 * variable.
 */
export class EnvironmentVariables {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * Address the API listens on. Unset: 0.0.0.0 (every interface), except while
   * STEPWISE_ADMIN_TOKEN is the development token, when it is 127.0.0.1 (loopback only).
   */
  @IsOptional()
  @IsIP(undefined, { message: 'STEPWISE_LISTEN_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0' })
  STEPWISE_LISTEN_HOST?: string;

  /**
   * Addresses and CIDRs besides loopback that may read the API's `/metrics` (and the worker's,
   * once STEPWISE_WORKER_METRICS_HOST lets them reach it); others are answered 403.
   */
  @IsAddressRanges()
  STEPWISE_METRICS_ALLOW = '';

  @IsDatabaseUrl()
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/stepwise';

  @IsRedisUrl()
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key Stepwise writes (queues, pub/sub channels). */
  @IsString()
  @MinLength(1)
  STEPWISE_REDIS_PREFIX = 'stepwise';

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'STEPWISE_ADMIN_TOKEN must be at least 16 characters' })
  STEPWISE_ADMIN_TOKEN?: string;

  @IsIanaZone()
  STEPWISE_TIMEZONE = 'Asia/Tokyo';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Key that encrypts webhook secrets at rest. Required in production. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'STEPWISE_SECRET_KEY must be at least 32 characters' })
  STEPWISE_SECRET_KEY?: string;

  /** Comma-separated hostnames and CIDRs that webhook targets may resolve to besides public addresses. */
  @IsWebhookAllowlist()
  STEPWISE_WEBHOOK_ALLOWLIST = '';

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  STEPWISE_SWEEP_INTERVAL_MS = 30000;

  /** On SIGTERM, how long the API and the worker may take to finish what is in flight. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  STEPWISE_SHUTDOWN_BOUND_MS = 25000;

  /** How long the API gives a client to send a whole request (headers and body); answered 408 after. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600000)
  STEPWISE_REQUEST_TIMEOUT_MS = 30000;

  /** Whole-delivery bound of one webhook send (connect, headers, body). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120000)
  STEPWISE_WEBHOOK_TIMEOUT_MS = 10000;

  /** Webhook sends one worker process runs at once; retries wait as delayed jobs, not in a slot. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  STEPWISE_DELIVERY_CONCURRENCY = 50;

  /** Port of the worker's Prometheus `/metrics`; 0 turns it off. In use: the worker runs without. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  STEPWISE_WORKER_METRICS_PORT = 9464;

  /** Address the worker's metrics server listens on: loopback unless widened (0.0.0.0). */
  @IsIP(undefined, {
    message: 'STEPWISE_WORKER_METRICS_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0',
  })
  STEPWISE_WORKER_METRICS_HOST = '127.0.0.1';

  /** Requests a client (token, else address) may make per minute; 0 turns throttling off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  STEPWISE_RATE_LIMIT_PER_MINUTE = 1200;

  /**
   * Where people reach Stepwise (the console's origin, the OIDC redirect URI's base); empty: the
   * address it listens on, `http://localhost:PORT`. An https URL makes the session cookie Secure.
   */
  @ValidateIf((env: EnvironmentVariables) => env.STEPWISE_PUBLIC_URL !== '')
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  STEPWISE_PUBLIC_URL = '';

  /** The organisation's OpenID Connect issuer; empty: the development provider (not in production). */
  @ValidateIf((env: EnvironmentVariables) => env.STEPWISE_OIDC_ISSUER !== '')
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  STEPWISE_OIDC_ISSUER = '';

  @IsString()
  @MinLength(1)
  STEPWISE_OIDC_CLIENT_ID = 'stepwise-console';

  @IsString()
  STEPWISE_OIDC_CLIENT_SECRET = '';

  /** The mapping from ID-token claims to roles (see config/access.yaml). */
  @IsString()
  @MinLength(1)
  STEPWISE_ACCESS_FILE = 'config/access.yaml';

  /** A console session ends after this long without a request. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  STEPWISE_SESSION_IDLE_MINUTES = 30;

  /** A console session ends this long after sign-in, whatever its activity. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(168)
  STEPWISE_SESSION_MAX_HOURS = 8;

  /** Sign-in attempts (login and callback) one address may start per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  STEPWISE_LOGIN_RATE_LIMIT_PER_MINUTE = 30;

  /**
   * Where notices are sent (`smtp://user:pass@host:587`, `smtps://…`); empty: notices are planned
   * and kept in the outbox, and the worker says so at start.
   */
  @ValidateIf((env: EnvironmentVariables) => env.STEPWISE_SMTP_URL !== '')
  @IsUrl({ require_tld: false, protocols: ['smtp', 'smtps'], require_protocol: true })
  STEPWISE_SMTP_URL = '';

  /** The From of notices: an address, or `Name <address>`. */
  @IsString()
  @MinLength(3)
  STEPWISE_MAIL_FROM = 'Stepwise <stepwise@localhost>';

  /**
   * `on`: a planner may record a decision taken earlier (a publishAt in the past) through the
   * four-eyes flow; the revision is flagged recordedLate. `off` (default): only an admin import
   * backdates.
   */
  @IsIn(['on', 'off'])
  STEPWISE_LATE_RECORDING: 'on' | 'off' = 'off';

  /** Time of day (HH:mm, in each policy's zone) at which held phases' gates are evaluated again. */
  @Matches(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { message: 'must be a time of day HH:mm' })
  STEPWISE_GATE_EVALUATION_TIME = '09:00';

  /** A gate without maxDataAge is inconclusive on a snapshot older than this many hours. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8760)
  STEPWISE_GATE_MAX_DATA_AGE_HOURS = 48;

  /** A gate is inconclusive when `eligible` moved by more than this percentage since the previous snapshot. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  STEPWISE_GATE_ELIGIBLE_JUMP_PERCENT = 20;

  /** Which person of a per-person adoption export belongs to which population. */
  @IsString()
  @MinLength(1)
  STEPWISE_ADOPTION_MAPPING_FILE = 'config/adoption/populations.yaml';
}

export class ConfigurationError extends Error {
  constructor(
    readonly variables: string[],
    message: string,
  ) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

const describe = (errors: ValidationError[]): string[] =>
  errors.map((e) => {
    const why = Object.values(e.constraints ?? {}).join(', ');
    return `${e.property}: ${why} (got ${JSON.stringify(e.value)})`;
  });

/** Validates raw environment values; throws a ConfigurationError naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  const relevant: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === '') {
      continue;
    }
    if (known.includes(key) || OPTIONAL.includes(key)) {
      relevant[key] = value;
    }
  }
  const env = plainToInstance(EnvironmentVariables, relevant, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (env.NODE_ENV === 'production' && !env.STEPWISE_SECRET_KEY) {
    throw new ConfigurationError(['STEPWISE_SECRET_KEY'], 'STEPWISE_SECRET_KEY is required in production');
  }
  if (errors.length > 0) {
    const lines = describe(errors);
    throw new ConfigurationError(
      errors.map((e) => e.property),
      `Invalid configuration:\n  ${lines.join('\n  ')}`,
    );
  }
  return env;
}
