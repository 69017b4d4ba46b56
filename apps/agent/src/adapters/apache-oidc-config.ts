import type { Level } from '@stepwise/connector';

export interface ApacheRuleInput {
  service: string;
  generation: number;
  hash: string;
  level: Level;
  location: string;
  mfaAcr: string;
  unauthorized: 'step-up' | 'refuse';
  /** For `warn`: the policy's instructions page. */
  instructionsUrl?: string;
  reportLog: string;
}

/** The cookie that marks a browser session as already sent to the instructions page. */
export const warnedCookie = (service: string): string => `stepwise_warned_${service.replace(/-/g, '_')}`;

const quoteRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The include file for one service at one level. Every level signs users in (the page is behind
 * the provider anyway); the level decides what a session without the MFA `acr` gets:
 * - `enforced`: new sign-ins ask the provider for the MFA acr, and `Require claim acr:` lets only
 *   MFA sessions in; others are sent to step up (or refused with 403);
 * - `warn`: let through, but sent once per browser session to the instructions page;
 * - `report-only`: let through, each such request written to the report log;
 * (these three ask for the MFA acr at sign-in, so that the ID token says whether it was used);
 * - `expected`, `none`: no requirement.
 */
export function renderApacheRule(input: ApacheRuleInput): string {
  // The claim as mod_auth_openidc passes it in a request header (it scrubs any the client sent):
  // its environment variable is renamed REDIRECT_… after an internal redirect (a DirectoryIndex).
  const mfaMissing = `RewriteCond %{HTTP:OIDC_CLAIM_acr} !=${input.mfaAcr}`;
  const lines = [
    `# Written by stepwise-agent for service ${input.service}: generation ${input.generation}, level ${input.level}.`,
    `# ${input.hash}. Do not edit: the next generation replaces this file.`,
  ];
  const location = [`<Location "${input.location}">`, '  AuthType openid-connect'];
  // Providers put `acr` in the ID token when the sign-in asked for one (OpenID Connect Core 2):
  // every level that judges MFA asks, which also lets users who have a second factor use it.
  const askForMfa = `  OIDCPathAuthRequestParams acr_values=${encodeURIComponent(input.mfaAcr)}`;
  switch (input.level) {
    case 'enforced':
      location.push(
        askForMfa,
        `  Require claim acr:${input.mfaAcr}`,
        input.unauthorized === 'step-up' ? '  OIDCUnAutzAction auth' : '  OIDCUnAutzAction 403',
        '  AuthzSendForbiddenOnFailure On',
      );
      break;
    case 'warn': {
      if (input.instructionsUrl === undefined) {
        throw new Error(
          'level warn needs an instructions page: the rule names none and the adapter has no instructionsUrl',
        );
      }
      const cookie = warnedCookie(input.service);
      location.push(
        askForMfa,
        '  Require valid-user',
        '  RewriteEngine On',
        `  ${mfaMissing}`,
        `  RewriteCond %{HTTP_COOKIE} !(^|;\\s*)${quoteRegex(cookie)}=`,
        `  RewriteRule ^ ${input.instructionsUrl.replace(/ /g, '%20')} [R=302,L,E=STEPWISE_WARNED:1]`,
        `  Header always set Set-Cookie "${cookie}=1; Path=/; HttpOnly; SameSite=Lax" env=STEPWISE_WARNED`,
      );
      break;
    }
    case 'report-only':
      location.push(
        askForMfa,
        '  Require valid-user',
        '  RewriteEngine On',
        `  ${mfaMissing}`,
        '  RewriteRule ^ - [E=STEPWISE_WITHOUT_MFA:1]',
      );
      lines.push(
        `CustomLog "${input.reportLog}" "%{%Y-%m-%dT%H:%M:%S}t ${input.service} report-only: %u without MFA (acr %{OIDC_CLAIM_acr}i) %r" env=STEPWISE_WITHOUT_MFA`,
      );
      break;
    case 'expected':
    case 'none':
      location.push('  Require valid-user');
      break;
  }
  return `${[...lines, ...location, '</Location>'].join('\n')}\n`;
}
