import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

export type AgentMode = 'webhook' | 'pull';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface ApacheOidcAdapterConfig {
  type: 'apache-oidc';
  /** The file Apache includes (`Include …`) for this service; the agent owns it. */
  includeFile: string;
  /** The URL path the rule covers, e.g. `/`. */
  location: string;
  /** The `acr` the provider issues after a second factor. */
  mfaAcr: string;
  /** `enforced` and a session without MFA: `step-up` sends to the provider asking for MFA; `refuse` answers 403. */
  unauthorized: 'step-up' | 'refuse';
  /** Where `warn` sends users without MFA once per session when the rule names no page. */
  instructionsUrl?: string;
  /** `report-only`: the log of requests without MFA (Apache CustomLog path). */
  reportLog: string;
  /** argv of the configuration test and of the graceful reload. */
  testCommand: string[];
  reloadCommand: string[];
}

export interface CommandAdapterConfig {
  type: 'command';
  /** argv run with the rules document on stdin; exit 0 means applied. */
  command: string[];
}

export interface EntraCaAdapterConfig {
  type: 'entra-ca';
  tenantId: string;
  /** The app registration the agent signs in as (Policy.ReadWrite.ConditionalAccess). */
  clientId: string;
  clientSecret: string;
  /** The service's application (its appId) the policies cover. */
  applicationId: string;
  /** Population id → Entra group id: one policy per pair. */
  groups: Record<string, string>;
  displayNamePrefix: string;
  graphUrl: string;
  loginUrl: string;
}

export interface ShibbolethSpAdapterConfig {
  type: 'shibboleth-sp';
  /** The file shibboleth2.xml's `<RequestMapper type="XML" path=…>` names; the agent owns it. */
  requestMapFile: string;
  host: string;
  /** The path under the host, without the leading slash (`app`). */
  path: string;
  mfaContext: string;
  testCommand: string[];
  /** None by default: shibd reloads the file when it changes (`reloadChanges="true"`). */
  reloadCommand?: string[];
}

export type AdapterConfig =
  ApacheOidcAdapterConfig | CommandAdapterConfig | EntraCaAdapterConfig | ShibbolethSpAdapterConfig;

export interface AgentConfig {
  service: string;
  mode: AgentMode;
  stepwise: { apiUrl: string; token: string };
  pull: { intervalSeconds: number };
  webhook?: { listen: ListenAddress; path: string; secret: string; toleranceSeconds: number };
  health: { listen: ListenAddress };
  stateFile: string;
  /** The populations this enforcement point serves; all when absent. */
  populations?: string[];
  adapter: AdapterConfig;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** A bad configuration, with the path of the field at fault (`webhook.secret`). */
export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`config ${field}: ${problem}`);
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a field of an object, failing with the field's full path. */
class Fields {
  constructor(
    private readonly object: Json,
    private readonly at: string,
  ) {}

  path(name: string): string {
    return this.at === '' ? name : `${this.at}.${name}`;
  }

  string(name: string, fallback?: string, pattern?: RegExp, patternText?: string): string {
    const value = this.object[name] ?? fallback;
    if (typeof value !== 'string' || value === '') {
      throw new AgentConfigError(
        this.path(name),
        value === undefined ? 'is required' : 'must be a non-empty string',
      );
    }
    if (pattern !== undefined && !pattern.test(value)) {
      throw new AgentConfigError(this.path(name), `must be ${patternText ?? pattern.source}`);
    }
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.object[name] === undefined ? undefined : this.string(name);
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const value = this.object[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new AgentConfigError(this.path(name), `must be a number from ${min} to ${max}`);
    }
    return value;
  }

  oneOf<T extends string>(name: string, options: readonly T[], fallback?: T): T {
    const value = this.object[name] ?? fallback;
    if (!options.includes(value as T)) {
      throw new AgentConfigError(
        this.path(name),
        `must be one of ${options.join(', ')}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`,
      );
    }
    return value as T;
  }

  argv(name: string, fallback: string[]): string[] {
    const value = this.object[name] ?? fallback;
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every((part) => typeof part === 'string' && part !== '')
    ) {
      throw new AgentConfigError(
        this.path(name),
        'must be a non-empty list of strings (program and arguments)',
      );
    }
    return value as string[];
  }

  optionalArgv(name: string): string[] | undefined {
    return this.object[name] === undefined ? undefined : this.argv(name, []);
  }

  object_(name: string, required: boolean): Fields | undefined {
    const value = this.object[name];
    if (value === undefined && !required) {
      return undefined;
    }
    if (!isObject(value)) {
      throw new AgentConfigError(this.path(name), value === undefined ? 'is required' : 'must be an object');
    }
    return new Fields(value, this.path(name));
  }

  listen(name: string, fallback?: string): ListenAddress {
    const text = this.string(name, fallback, /^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:8081');
    const index = text.lastIndexOf(':');
    const port = Number(text.slice(index + 1));
    if (port > 65535) {
      throw new AgentConfigError(this.path(name), 'port must be at most 65535');
    }
    return { host: text.slice(0, index), port };
  }

  stringMap(name: string): Record<string, string> {
    const value = this.object[name];
    if (!isObject(value) || Object.keys(value).length === 0) {
      throw new AgentConfigError(
        this.path(name),
        'must be an object of at least one population id → group id',
      );
    }
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry !== 'string' || entry === '') {
        throw new AgentConfigError(`${this.path(name)}.${key}`, 'must be a non-empty string (a group id)');
      }
    }
    return value as Record<string, string>;
  }

  refuseUnknown(known: readonly string[]): void {
    for (const key of Object.keys(this.object)) {
      if (!known.includes(key)) {
        throw new AgentConfigError(this.path(key), `is not a known field (known: ${known.join(', ')})`);
      }
    }
  }
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

/** Validates a parsed configuration, failing at the first bad field with its path. */
export function parseAgentConfig(input: unknown): AgentConfig {
  if (!isObject(input)) {
    throw new AgentConfigError('(root)', 'must be an object');
  }
  const root = new Fields(input, '');
  root.refuseUnknown([
    'service',
    'mode',
    'stepwise',
    'pull',
    'webhook',
    'health',
    'stateFile',
    'populations',
    'adapter',
    'logLevel',
  ]);
  const mode = root.oneOf('mode', ['webhook', 'pull'] as const);
  const stepwise = root.object_('stepwise', true) as Fields;
  stepwise.refuseUnknown(['apiUrl', 'token']);
  const apiUrl = stepwise.string(
    'apiUrl',
    undefined,
    /^https?:\/\/[^\s]+$/,
    'an http(s) URL, e.g. https://stepwise.example/api/v1',
  );
  const pull = root.object_('pull', false);
  pull?.refuseUnknown(['intervalSeconds']);
  const webhook = root.object_('webhook', mode === 'webhook');
  webhook?.refuseUnknown(['listen', 'path', 'secret', 'toleranceSeconds']);
  const health = root.object_('health', false);
  health?.refuseUnknown(['listen']);
  const populations = input.populations;
  if (
    populations !== undefined &&
    (!Array.isArray(populations) || !populations.every((p) => typeof p === 'string'))
  ) {
    throw new AgentConfigError('populations', 'must be a list of population ids');
  }
  return {
    service: root.string('service', undefined, SLUG, 'a service id (lower-case letters, digits and dashes)'),
    mode,
    stepwise: { apiUrl, token: stepwise.string('token') },
    pull: { intervalSeconds: pull?.number('intervalSeconds', 30, 0.1, 86_400) ?? 30 },
    webhook:
      webhook === undefined
        ? undefined
        : {
            listen: webhook.listen('listen', '127.0.0.1:8081'),
            path: webhook.string('path', '/stepwise/webhook', /^\/\S*$/, 'a path starting with /'),
            secret: webhook.string(
              'secret',
              undefined,
              WEBHOOK_SECRET,
              'whsec_ followed by base64, as Stepwise showed it',
            ),
            toleranceSeconds: webhook.number('toleranceSeconds', 300, 1, 3_600),
          },
    health: { listen: health?.listen('listen', '127.0.0.1:8082') ?? { host: '127.0.0.1', port: 8082 } },
    stateFile: root.string('stateFile'),
    populations,
    adapter: parseAdapter(root.object_('adapter', true) as Fields, root),
    logLevel: root.oneOf('logLevel', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
}

function parseAdapter(adapter: Fields, _root: Fields): AdapterConfig {
  const type = adapter.oneOf('type', ['apache-oidc', 'command', 'entra-ca', 'shibboleth-sp'] as const);
  switch (type) {
    case 'apache-oidc':
      adapter.refuseUnknown([
        'type',
        'includeFile',
        'location',
        'mfaAcr',
        'unauthorized',
        'instructionsUrl',
        'reportLog',
        'testCommand',
        'reloadCommand',
      ]);
      return {
        type,
        includeFile: adapter.string('includeFile'),
        location: adapter.string(
          'location',
          '/',
          /^\/[^\s"]*$/,
          'a URL path starting with / (no spaces or quotes)',
        ),
        mfaAcr: adapter.string(
          'mfaAcr',
          'https://refeds.org/profile/mfa',
          /^[^\s"]+$/,
          'an acr value without spaces or quotes',
        ),
        unauthorized: adapter.oneOf('unauthorized', ['step-up', 'refuse'] as const, 'step-up'),
        instructionsUrl: adapter.optionalString('instructionsUrl'),
        reportLog: adapter.string(
          'reportLog',
          'logs/stepwise-report-only.log',
          /^[^\s"]+$/,
          'a path without spaces or quotes',
        ),
        testCommand: adapter.argv('testCommand', ['apachectl', 'configtest']),
        reloadCommand: adapter.argv('reloadCommand', ['apachectl', 'graceful']),
      };
    case 'command':
      adapter.refuseUnknown(['type', 'command']);
      return { type, command: adapter.argv('command', []) };
    case 'shibboleth-sp':
      adapter.refuseUnknown([
        'type',
        'requestMapFile',
        'host',
        'path',
        'mfaContext',
        'testCommand',
        'reloadCommand',
      ]);
      return {
        type,
        requestMapFile: adapter.string('requestMapFile'),
        host: adapter.string('host'),
        path: adapter.string(
          'path',
          undefined,
          /^[^/\s"<>&][^\s"<>&]*$/,
          'a path without the leading slash, e.g. app',
        ),
        mfaContext: adapter.string('mfaContext', 'https://refeds.org/profile/mfa'),
        testCommand: adapter.argv('testCommand', ['shibd', '-t']),
        reloadCommand: adapter.optionalArgv('reloadCommand'),
      };
    case 'entra-ca':
      adapter.refuseUnknown([
        'type',
        'tenantId',
        'clientId',
        'clientSecret',
        'applicationId',
        'groups',
        'displayNamePrefix',
        'graphUrl',
        'loginUrl',
      ]);
      return {
        type,
        tenantId: adapter.string('tenantId'),
        clientId: adapter.string('clientId'),
        clientSecret: adapter.string('clientSecret'),
        applicationId: adapter.string('applicationId'),
        groups: adapter.stringMap('groups'),
        displayNamePrefix: adapter.string('displayNamePrefix', 'Stepwise'),
        graphUrl: adapter.string(
          'graphUrl',
          'https://graph.microsoft.com/v1.0',
          /^https?:\/\/\S+$/,
          'an http(s) URL',
        ),
        loginUrl: adapter.string(
          'loginUrl',
          'https://login.microsoftonline.com',
          /^https?:\/\/\S+$/,
          'an http(s) URL',
        ),
      };
  }
}

/** Reads and validates the file: JSON, or YAML when it ends in .yaml or .yml. */
export async function loadAgentConfig(path: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AgentConfigError('(file)', `cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    // YAML is loaded only for YAML files: the agent stays small.
    parsed = ['.yaml', '.yml'].includes(extname(path))
      ? (await import('yaml')).parse(text)
      : JSON.parse(text);
  } catch (error) {
    throw new AgentConfigError(
      '(file)',
      `${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'JSON or YAML'}: ${(error as Error).message}`,
    );
  }
  return parseAgentConfig(parsed);
}
