import { randomBytes } from 'node:crypto';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { DEV_IDP_PATH } from './dev-identity-provider';

export type SignInMode = 'organisation' | 'development' | 'off';

/** How people sign in to the console, from the environment (see the README's settings). */
export interface ConsoleSettings {
  mode: SignInMode;
  publicUrl: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  secureCookies: boolean;
  loginLimitPerMinute: number;
}

export function consoleSettings(env: EnvironmentVariables): ConsoleSettings {
  const publicUrl = (env.STEPWISE_PUBLIC_URL || `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  const mode: SignInMode =
    env.STEPWISE_OIDC_ISSUER !== '' ? 'organisation' : env.NODE_ENV === 'production' ? 'off' : 'development';
  return {
    mode,
    publicUrl,
    issuer: mode === 'organisation' ? env.STEPWISE_OIDC_ISSUER : `${publicUrl}${DEV_IDP_PATH}`,
    clientId: env.STEPWISE_OIDC_CLIENT_ID,
    // The development provider's client secret lives as long as the process that holds both ends.
    clientSecret:
      mode === 'development' ? randomBytes(24).toString('base64url') : env.STEPWISE_OIDC_CLIENT_SECRET,
    redirectUri: `${publicUrl}/auth/callback`,
    postLogoutRedirectUri: `${publicUrl}/signed-out`,
    secureCookies: publicUrl.startsWith('https:'),
    loginLimitPerMinute: env.STEPWISE_LOGIN_RATE_LIMIT_PER_MINUTE,
  };
}
