import type * as OpenIdClient from 'openid-client';

/**
 * openid-client 6 is ESM-only: Node 20.19+ loads it through require(esm), Jest does not. It is
 * loaded on the first sign-in, so a process (or a test suite) that signs no one in never loads it.
 */
const openIdClient = (): Promise<typeof OpenIdClient> => import('openid-client');

export interface RelyingPartySettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

/** What the login step keeps (sealed in a short-lived cookie) for the callback to check. */
export interface LoginState {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  startedAt: number;
}

export interface SignedInClaims {
  issuer: string;
  subject: string;
  name: string;
  claims: Record<string, unknown>;
  idToken: string | null;
}

/**
 * The console as an OpenID Connect client (authorization code + PKCE, `openid-client`). The
 * provider's metadata is discovered on first use and kept; a failed discovery is tried again at
 * the next sign-in, so a provider that starts after Stepwise does not need a restart.
 */
export class OidcRelyingParty {
  private configuration: Promise<OpenIdClient.Configuration> | null = null;

  constructor(private readonly settings: RelyingPartySettings) {}

  private config(): Promise<OpenIdClient.Configuration> {
    if (this.configuration === null) {
      const { issuer, clientId, clientSecret } = this.settings;
      const insecure = issuer.startsWith('http:');
      this.configuration = openIdClient()
        .then((oidc) =>
          oidc.discovery(
            new URL(issuer),
            clientId,
            clientSecret === '' ? undefined : clientSecret,
            clientSecret === '' ? oidc.None() : undefined,
            insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
          ),
        )
        .catch((error: unknown) => {
          this.configuration = null;
          throw error;
        });
    }
    return this.configuration;
  }

  async start(returnTo: string, now: number): Promise<{ url: string; state: LoginState }> {
    const config = await this.config();
    const oidc = await openIdClient();
    const verifier = oidc.randomPKCECodeVerifier();
    const state: LoginState = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier,
      returnTo,
      startedAt: now,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid profile groups',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: state.state,
      nonce: state.nonce,
    });
    return { url: url.href, state };
  }

  async finish(callbackUrl: URL, state: LoginState): Promise<SignedInClaims> {
    const config = await this.config();
    const oidc = await openIdClient();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: state.verifier,
      expectedState: state.state,
      expectedNonce: state.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) {
      throw new Error('the provider sent no ID token');
    }
    const name = typeof claims.name === 'string' && claims.name !== '' ? claims.name : claims.sub;
    return {
      issuer: claims.iss,
      subject: claims.sub,
      name,
      claims: claims,
      idToken: tokens.id_token ?? null,
    };
  }

  /** Where to send the browser after a local logout: the provider's end-session page when it has one. */
  async logoutUrl(idToken: string | null): Promise<string | null> {
    const config = await this.config().catch(() => null);
    const oidc = await openIdClient();
    if (config === null || !config.serverMetadata().end_session_endpoint) {
      return null;
    }
    const parameters: Record<string, string> = {
      post_logout_redirect_uri: this.settings.postLogoutRedirectUri,
      client_id: this.settings.clientId,
    };
    if (idToken !== null) {
      parameters.id_token_hint = idToken;
    }
    return oidc.buildEndSessionUrl(config, parameters).href;
  }
}
