/**
 * Where the API's PostgreSQL server listens, as DATABASE_URL names it. A socket error gives the
 * address the host resolved to, so the port is what can be compared.
 */
export interface DatabaseEndpoint {
  port: number;
}

export function databaseEndpoint(databaseUrl: string): DatabaseEndpoint {
  const { port } = new URL(databaseUrl);
  return { port: port === '' ? 5432 : Number(port) };
}

/** Socket errors of a connection that could not be made, or broke. */
const SOCKET_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * SQLSTATEs of a server that cannot serve: connection exceptions (class 08), an administrator's or
 * a crash's shutdown, a server still starting, too many connections.
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;

/** node-postgres' own words for a connection that ended under a query, or was never made in time. */
const DRIVER_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

interface ErrorFields {
  code?: unknown;
  message?: unknown;
  port?: unknown;
  /** TypeORM's QueryFailedError keeps the driver's error here. */
  driverError?: unknown;
}

/**
 * The error says PostgreSQL could not be reached or stopped serving: the request may succeed once
 * it is back (503), rather than having failed unexpectedly (500). A socket error counts only when
 * it names the database's own port, so that other connections' failures are not taken for it.
 * Errors are read by their fields, not by class: node's socket errors and node-postgres' come from
 * other modules' realms under test runners.
 */
export function isDatabaseDown(error: unknown, database: DatabaseEndpoint): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, message, port, driverError } = error as ErrorFields;
  if (driverError !== undefined && driverError !== error && isDatabaseDown(driverError, database)) {
    return true;
  }
  if (typeof code === 'string' && UNAVAILABLE_STATES.test(code)) {
    return true;
  }
  if (typeof code === 'string' && SOCKET_FAILURES.has(code)) {
    return port === database.port;
  }
  return typeof message === 'string' && DRIVER_MESSAGES.test(message);
}
