import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AccessMap, accessFor } from '@stepwise/access/access-map';
import { ConsoleSessions, PERSON_PREFIX, SESSION_COOKIE } from '@stepwise/access/console-sessions';
import { sameHash } from '@stepwise/access/token-secret';
import { AuditLog } from '@stepwise/audit/audit-log';
import { Clock } from '@stepwise/common/clock';
import { systemActor } from '@stepwise/common/principal';
import { ProcessSecretBox } from '@stepwise/planning/secret-box.factory';
import { CSRF_HEADER } from '../auth/auth.guard';
import { type Language, languageOf } from './console-language';
import type { ConsoleSettings } from './console-settings';
import { escapeHtml, simplePage } from './html';
import { type LoginState, OidcRelyingParty } from './oidc-relying-party';
import { SignInLimiter } from './sign-in-limiter';

const LOGIN_COOKIE = 'stepwise_login';
/** A sign-in has this long from the login redirect to the callback. */
const LOGIN_WINDOW_MS = 10 * 60_000;

const TEXT = {
  en: {
    off: 'Console sign-in is off',
    offBody:
      'No OpenID Connect provider is configured (STEPWISE_OIDC_ISSUER) and this is production, so nobody can sign in to the console. The API works as before with bearer tokens.',
    failed: 'Sign-in could not be completed',
    again: 'Try again',
    busy: 'Too many sign-in attempts from this address. Wait a minute and try again.',
    noRole: 'No access to Stepwise',
    noRoleBody: (name: string) =>
      `You are signed in as ${escapeHtml(name)}, but your account has no role in Stepwise. Ask the CIO office to grant you access (config/access.yaml).`,
    home: 'Back to the start',
    unreachable: 'The identity provider did not answer. Try again in a moment.',
  },
  ja: {
    off: 'コンソールへのサインインは無効です',
    offBody:
      'OpenID Connect プロバイダ（STEPWISE_OIDC_ISSUER）が設定されていない本番環境のため、コンソールにはサインインできません。API はこれまでどおりベアラートークンで使えます。',
    failed: 'サインインを完了できませんでした',
    again: 'もう一度試す',
    busy: 'このアドレスからのサインインの試行が多すぎます。1 分ほど待ってから再度お試しください。',
    noRole: 'Stepwise を利用する権限がありません',
    noRoleBody: (name: string) =>
      `${escapeHtml(name)} としてサインインしていますが、このアカウントには Stepwise の役割がありません。CIO オフィスに権限の付与を依頼してください（config/access.yaml）。`,
    home: '最初に戻る',
    unreachable: 'ID プロバイダが応答しませんでした。しばらくしてから再度お試しください。',
  },
} as const;

/** A path on the console's own origin to go back to after sign-in; anything else goes home. */
export function safeReturnTo(candidate: unknown, publicUrl: string): string {
  if (typeof candidate !== 'string' || !candidate.startsWith('/') || candidate.startsWith('//')) {
    return '/';
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (candidate.includes('\\') || /[\u0000-\u001f]/.test(candidate)) {
    return '/';
  }
  try {
    const url = new URL(candidate, publicUrl);
    if (url.origin !== new URL(publicUrl).origin || url.pathname.startsWith('/auth/')) {
      return '/';
    }
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}

interface Deps {
  settings: ConsoleSettings;
  accessMap: AccessMap;
  sessions: ConsoleSessions;
  auditLog: AuditLog;
  box: ProcessSecretBox;
  clock: Clock;
  limiter: SignInLimiter;
}

/**
 * The browser side of signing in: /auth/login, /auth/callback, /auth/logout and /auth/session.
 * What a signed-in person may do is decided by the API's own guard (the session stands for a
 * principal like a token does), so the console has no powers of its own.
 */
export function mountConsoleAuth(
  app: NestFastifyApplication,
  settings: ConsoleSettings,
  accessMap: AccessMap,
): void {
  const deps: Deps = {
    settings,
    accessMap,
    sessions: app.get(ConsoleSessions),
    auditLog: app.get(AuditLog),
    box: app.get(ProcessSecretBox),
    clock: app.get(Clock),
    limiter: new SignInLimiter(),
  };
  const rp =
    settings.mode === 'off'
      ? null
      : new OidcRelyingParty({
          issuer: settings.issuer,
          clientId: settings.clientId,
          clientSecret: settings.clientSecret,
          redirectUri: settings.redirectUri,
          postLogoutRedirectUri: settings.postLogoutRedirectUri,
        });
  const logger = new Logger('ConsoleAuth');
  const publicHost = new URL(settings.publicUrl).host;
  const fastify = app.getHttpAdapter().getInstance();

  const page = (reply: FastifyReply, status: number, lang: Language, title: string, body: string) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(simplePage({ lang, title, body }));

  const limited = (request: FastifyRequest, reply: FastifyReply, lang: Language): boolean => {
    if (deps.limiter.allow(request.ip, settings.loginLimitPerMinute, deps.clock.nowMs())) {
      return false;
    }
    void page(reply.header('retry-after', '60'), 429, lang, TEXT[lang].failed, `<p>${TEXT[lang].busy}</p>`);
    return true;
  };

  fastify.get('/auth/login', async (request, reply) => {
    const lang = languageOf(request.headers);
    if (rp === null) {
      return page(reply, 503, lang, TEXT[lang].off, `<p>${TEXT[lang].offBody}</p>`);
    }
    if (limited(request, reply, lang)) {
      return reply;
    }
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).returnTo, settings.publicUrl);
    // The login cookie must be set where the callback will come back to: the public origin (a
    // person who opened 127.0.0.1 while it is localhost would otherwise fail the state check).
    if (request.headers.host !== publicHost) {
      return reply.redirect(`${settings.publicUrl}/auth/login?returnTo=${encodeURIComponent(returnTo)}`, 302);
    }
    try {
      const { url, state } = await rp.start(returnTo, deps.clock.nowMs());
      void reply.setCookie(LOGIN_COOKIE, deps.box.encrypt(JSON.stringify(state)), {
        httpOnly: true,
        secure: settings.secureCookies,
        sameSite: 'lax',
        path: '/auth/',
        maxAge: LOGIN_WINDOW_MS / 1000,
      });
      return reply.header('cache-control', 'no-store').redirect(url, 302);
    } catch (error) {
      logger.warn(`sign-in could not start: ${error instanceof Error ? error.message : String(error)}`);
      return page(reply, 503, lang, TEXT[lang].failed, `<p>${TEXT[lang].unreachable}</p>`);
    }
  });

  fastify.get('/auth/callback', async (request, reply) => {
    const lang = languageOf(request.headers);
    if (rp === null) {
      return page(reply, 503, lang, TEXT[lang].off, `<p>${TEXT[lang].offBody}</p>`);
    }
    if (limited(request, reply, lang)) {
      return reply;
    }
    const failed = (why: string) => {
      logger.warn(`sign-in refused: ${why}`);
      return page(
        reply.clearCookie(LOGIN_COOKIE, { path: '/auth/' }),
        400,
        lang,
        TEXT[lang].failed,
        `<p>${escapeHtml(why)}</p><p><a href="/auth/login">${TEXT[lang].again}</a></p>`,
      );
    };
    const state = openLoginState(deps, request.cookies[LOGIN_COOKIE]);
    if (state === null) {
      return failed('the sign-in took too long or was not started here');
    }
    let signedIn;
    try {
      signedIn = await rp.finish(new URL(request.url, settings.publicUrl), state);
    } catch (error) {
      return failed(error instanceof Error ? error.message : String(error));
    }
    const personId = `${PERSON_PREFIX}${signedIn.issuer}#${signedIn.subject}`;
    const access = accessFor(accessMap, signedIn.claims);
    const context = { actor: systemActor('api'), requestId: request.id };
    if (access === null) {
      await deps.auditLog.record(context, {
        action: 'session.refused',
        resourceType: 'person',
        resourceId: personId,
        after: { name: signedIn.name, [accessMap.claim]: signedIn.claims[accessMap.claim] ?? null },
        outcome: 'denied',
      });
      return page(
        reply.clearCookie(LOGIN_COOKIE, { path: '/auth/' }),
        403,
        lang,
        TEXT[lang].noRole,
        `<p>${TEXT[lang].noRoleBody(signedIn.name)}</p><p><a href="/signed-out">${TEXT[lang].home}</a></p>`,
      );
    }
    const person = { id: personId, name: signedIn.name, ...access, idToken: signedIn.idToken };
    const secret = await deps.auditLog.change(
      {
        actor: { id: personId, name: signedIn.name, role: access.role, services: access.services },
        requestId: request.id,
      },
      async ({ manager, audit }) => {
        const opened = await deps.sessions.open(manager, person);
        audit({
          action: 'session.signed-in',
          resourceType: 'person',
          resourceId: personId,
          after: { name: signedIn.name, role: access.role, services: access.services },
        });
        return opened;
      },
    );
    return reply
      .clearCookie(LOGIN_COOKIE, { path: '/auth/' })
      .setCookie(SESSION_COOKIE, secret, {
        httpOnly: true,
        secure: settings.secureCookies,
        sameSite: 'lax',
        path: '/',
      })
      .header('cache-control', 'no-store')
      .redirect(state.returnTo, 303);
  });

  fastify.post('/auth/logout', async (request, reply) => {
    const secret = request.cookies[SESSION_COOKIE];
    const session = secret === undefined ? null : await deps.sessions.find(secret);
    if (secret === undefined || session === null) {
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(200).send({ redirect: '/signed-out' });
    }
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameHash(sent, session.csrfToken)) {
      return reply.code(403).send({
        statusCode: 403,
        error: 'Forbidden',
        message: `the ${CSRF_HEADER} header does not match this session`,
        code: 'CSRF_TOKEN_INVALID',
      });
    }
    await deps.auditLog.change(
      { actor: session.principal, requestId: request.id },
      async ({ manager, audit }) => {
        if (await deps.sessions.close(manager, secret)) {
          audit({ action: 'session.signed-out', resourceType: 'person', resourceId: session.principal.id });
        }
      },
    );
    const redirect = (await rp?.logoutUrl(session.idToken)) ?? '/signed-out';
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(200).send({ redirect });
  });

  fastify.get('/auth/session', async (request, reply) => {
    const secret = request.cookies[SESSION_COOKIE];
    const session = secret === undefined ? null : await deps.sessions.find(secret);
    void reply.header('cache-control', 'no-store');
    const signIn = { mode: settings.mode, language: languageOf(request.headers) };
    if (session === null) {
      return reply.code(401).send({ signedIn: false, ...signIn });
    }
    return reply.send({
      signedIn: true,
      ...signIn,
      person: session.principal,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
    });
  });
}

function openLoginState(deps: Deps, sealed: string | undefined): LoginState | null {
  if (sealed === undefined) {
    return null;
  }
  try {
    const state = JSON.parse(deps.box.decrypt(sealed)) as LoginState;
    return deps.clock.nowMs() - state.startedAt <= LOGIN_WINDOW_MS ? state : null;
  } catch {
    return null;
  }
}
