import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Configuration, KoaContextWithOIDC, Provider } from 'oidc-provider';
import { languageOf } from './console-language';
import { DEMO_PEOPLE } from './demo-people';
import { escapeHtml, simplePage } from './html';

export const DEV_IDP_PATH = '/dev-idp';
const INTERACTION = /^\/dev-idp\/interaction\/([A-Za-z0-9_-]{1,64})$/;
const SCOPE = 'openid profile groups';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface DevClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

async function createProvider(
  issuer: string,
  client: DevClient,
): Promise<{ provider: Provider; handler: Handler }> {
  const { Provider: OidcProvider } = await import('oidc-provider');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const configuration: Configuration = {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.redirectUri],
        post_logout_redirect_uris: [client.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'groups'],
    claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
    // The console reads name and groups from the ID token, as from most organisations' providers.
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => {
      const person = DEMO_PEOPLE.find((candidate) => candidate.login === id);
      if (!person) {
        return undefined;
      }
      return { accountId: id, claims: () => ({ sub: id, name: person.name, groups: person.groups }) };
    },
    interactions: { url: (_ctx, interaction) => `${DEV_IDP_PATH}/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'dev' }] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    // The console is the provider's only client, first-party: no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      if (clientId === undefined || accountId === undefined) {
        return undefined;
      }
      const existing = ctx.oidc.session?.grantIdFor(clientId);
      if (existing) {
        return ctx.oidc.provider.Grant.find(existing);
      }
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope(SCOPE);
      await grant.save();
      return grant;
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = simplePage({
        lang: 'en',
        title: 'Development sign-in: error',
        body: `<p>${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ''))}</p><p><a href="/">Back to Stepwise</a></p>`,
      });
    },
  };
  const provider = new OidcProvider(issuer, configuration);
  const callback = provider.callback();
  return { provider, handler: async (req, res) => void (await callback(req, res)) };
}

/**
 * The identity provider of development and tests: `oidc-provider`, in this process, under
 * /dev-idp, with the demo people. Requests under that path are answered here before Fastify sees
 * them (oidc-provider reads its own request bodies). Never mounted in production.
 */
export class DevIdentityProvider {
  private started: Promise<{ provider: Provider; handler: Handler }> | null = null;

  /**
   * Built on the first request under /dev-idp: loading oidc-provider and making its signing key
   * take about a second, which every API start (and every test suite's) would otherwise pay.
   */
  constructor(
    private readonly issuer: string,
    private readonly client: DevClient,
  ) {}

  private start(): Promise<{ provider: Provider; handler: Handler }> {
    this.started ??= createProvider(this.issuer, this.client).catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    return this.started;
  }

  /** True when the request is the provider's (and was answered); false leaves it to Fastify. */
  answer(request: IncomingMessage, response: ServerResponse): boolean | Promise<boolean> {
    const url = request.url ?? '';
    if (url !== DEV_IDP_PATH && !url.startsWith(`${DEV_IDP_PATH}/`)) {
      return false;
    }
    return this.handle(request, response).then(
      () => true,
      (error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
        }
        response.end(`development sign-in failed: ${error instanceof Error ? error.message : String(error)}`);
        return true;
      },
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    const interaction = INTERACTION.exec(path);
    if (interaction && request.method === 'GET') {
      return this.showPeople(request, response);
    }
    if (interaction && request.method === 'POST') {
      return this.signIn(request, response);
    }
    // oidc-provider reads its mount path from originalUrl, as under Express.
    (request as IncomingMessage & { originalUrl?: string }).originalUrl = request.url;
    request.url = (request.url ?? '').slice(DEV_IDP_PATH.length) || '/';
    const { handler } = await this.start();
    await handler(request, response);
  }

  private async showPeople(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { provider } = await this.start();
    const details = await provider.interactionDetails(request, response);
    const lang = languageOf(request.headers);
    const ja = lang === 'ja';
    const people = DEMO_PEOPLE.map(
      (person) => `<li><form method="post" action="${DEV_IDP_PATH}/interaction/${escapeHtml(details.uid)}">
<input type="hidden" name="person" value="${escapeHtml(person.login)}">
<button type="submit" class="person"><strong>${escapeHtml(person.name)}</strong><span>${escapeHtml(person.role[lang])}</span></button>
</form></li>`,
    ).join('\n');
    const html = simplePage({
      lang,
      title: ja ? '開発用サインイン' : 'Development sign-in',
      body: `<p class="dev-banner">${
        ja
          ? 'これは開発用の ID プロバイダです。本番では組織の OpenID Connect プロバイダでサインインします。'
          : 'This is the development identity provider. In production people sign in with the organisation’s OpenID Connect provider.'
      }</p>
<p>${ja ? 'サインインする人を選んでください。' : 'Choose who to sign in as.'}</p>
<ul class="people">${people}</ul>`,
    });
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'self'; script-src 'none'; frame-ancestors 'none'",
    });
    response.end(html);
  }

  private async signIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readSmallBody(request);
    const login = new URLSearchParams(body).get('person') ?? '';
    if (!DEMO_PEOPLE.some((person) => person.login === login)) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('unknown demo person');
      return;
    }
    const { provider } = await this.start();
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: login } },
      { mergeWithLastSubmission: false },
    );
  }
}

async function readSmallBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 4096) {
      throw new Error('the sign-in form is too large');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
