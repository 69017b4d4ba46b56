import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';

export const MFA_ACR = 'https://refeds.org/profile/mfa';
export const PASSWORD_ACR = 'urn:stepwise:test:password';

export interface TestPerson {
  login: string;
  /** The code of the person's second factor; a person without one never gets the MFA acr. */
  secondFactor?: string;
}

export interface MfaProviderOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  people: TestPerson[];
}

export interface MfaProvider {
  issuer: string;
  close(): Promise<void>;
}

/** The provider as its own process (see mfa-identity-provider.main.ts), for Jest suites. */
export async function spawnMfaProvider(options: MfaProviderOptions): Promise<MfaProvider> {
  const { startProcess } = await import('./processes');
  const child = startProcess('dist/test/support/mfa-identity-provider.main.js', {}, [
    JSON.stringify(options),
  ]);
  await child.waitFor(/mfa provider listening at \S+/);
  const issuer = /mfa provider listening at (\S+)/.exec(child.output())?.[1] as string;
  return {
    issuer,
    close: async () => {
      child.child.kill('SIGTERM');
      await child.exited();
    },
  };
}

/**
 * An OpenID provider in this process (oidc-provider, as the development sign-in uses), on its own
 * loopback port. Sign-in is a form post of `login` and, optionally, `code`: the ID token carries
 * the MFA `acr` only when the code matches the person's second factor, else a password acr.
 */
export async function startMfaProvider(options: MfaProviderOptions): Promise<MfaProvider> {
  const { Provider } = await import('oidc-provider');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    acrValues: [PASSWORD_ACR, MFA_ACR],
    claims: { openid: ['sub'] },
    findAccount: (_ctx, id) =>
      options.people.some((person) => person.login === id)
        ? { accountId: id, claims: () => ({ sub: id }) }
        : undefined,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'test' }] },
    features: { devInteractions: { enabled: false } },
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (clientId === undefined || accountId === undefined) {
        return undefined;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope('openid');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  server.on('request', (request: IncomingMessage, response) => {
    const interaction = /^\/interaction\/([\w-]+)$/.exec((request.url ?? '').split('?')[0]);
    if (interaction === null) {
      void callback(request, response);
      return;
    }
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(
        `<form method="post"><input name="login"><input name="code"><button>Sign in</button></form>`,
      );
      return;
    }
    void signIn(request).then(
      (result) =>
        result === null
          ? void response.writeHead(400).end('unknown person')
          : provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false }),
      (error: unknown) => void response.writeHead(500).end(String(error)),
    );
  });

  async function signIn(request: IncomingMessage) {
    let body = '';
    for await (const chunk of request) {
      body += (chunk as Buffer).toString();
    }
    const form = new URLSearchParams(body);
    const person = options.people.find((candidate) => candidate.login === form.get('login'));
    if (person === undefined) {
      return null;
    }
    const mfa = person.secondFactor !== undefined && form.get('code') === person.secondFactor;
    return {
      login: {
        accountId: person.login,
        acr: mfa ? MFA_ACR : PASSWORD_ACR,
        amr: mfa ? ['pwd', 'otp'] : ['pwd'],
      },
    };
  }

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
