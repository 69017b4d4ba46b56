import { isLoopbackAddress } from '@stepwise/common/address-ranges';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';

/** The admin token `npm start` sets when none is given: published, so anyone knows it. */
export const DEVELOPMENT_ADMIN_TOKEN = 'stepwise-dev-admin-token';

export interface ListenHost {
  host: string;
  /** What to say at start, and how loudly. */
  notice: { level: 'log' | 'warn'; message: string };
}

/**
 * Where the API listens: STEPWISE_LISTEN_HOST when set, else every interface, unless the admin
 * token is the development one: anyone who could reach the API would then be an admin, so it
 * listens on loopback only.
 */
export function listenHost(
  env: Pick<EnvironmentVariables, 'STEPWISE_LISTEN_HOST' | 'STEPWISE_ADMIN_TOKEN'>,
): ListenHost {
  const development = env.STEPWISE_ADMIN_TOKEN === DEVELOPMENT_ADMIN_TOKEN;
  const host = env.STEPWISE_LISTEN_HOST ?? (development ? '127.0.0.1' : '0.0.0.0');
  if (!development) {
    return { host, notice: { level: 'log', message: `listening on ${host}` } };
  }
  if (isLoopbackAddress(host)) {
    return {
      host,
      notice: {
        level: 'warn',
        message:
          `the development admin token is in use: listening on ${host} only; set STEPWISE_ADMIN_TOKEN ` +
          'to a secret of your own (and STEPWISE_LISTEN_HOST) to serve other addresses',
      },
    };
  }
  return {
    host,
    notice: {
      level: 'warn',
      message:
        `the development admin token is in use and STEPWISE_LISTEN_HOST=${host}: anyone who can reach ` +
        'this address is an admin; set STEPWISE_ADMIN_TOKEN to a secret of your own',
    },
  };
}
