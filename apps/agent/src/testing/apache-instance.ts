import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MODULES = '/usr/lib/apache2/modules';

export interface ApacheOptions {
  /** The OpenID provider's issuer (its discovery document is under it). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The protected path; the agent's include file holds its rule. */
  location: string;
}

/**
 * An Apache HTTP Server of the test's own (own ServerRoot, configuration, port and pid file in a
 * temporary folder; never the system's) with mod_auth_openidc in front of a demo page at
 * `location`, and an `IncludeOptional` of the agent's include file after the baseline rule.
 */
export class ApacheInstance {
  private constructor(
    readonly root: string,
    readonly port: number,
    readonly location: string,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get configFile(): string {
    return join(this.root, 'apache2.conf');
  }
  get includeFile(): string {
    return join(this.root, 'stepwise', 'demo-portal.conf');
  }
  get reportLog(): string {
    return join(this.root, 'logs', 'stepwise-report-only.log');
  }
  get testCommand(): string[] {
    return ['apache2', '-f', this.configFile, '-t'];
  }
  get reloadCommand(): string[] {
    return ['apache2', '-f', this.configFile, '-k', 'graceful'];
  }

  static async create(options: ApacheOptions, port?: number): Promise<ApacheInstance> {
    const root = await mkdtemp(join(tmpdir(), 'stepwise-apache-'));
    const instance = new ApacheInstance(root, port ?? (await freePort()), options.location);
    for (const folder of ['logs', 'stepwise', `htdocs${options.location}`, 'htdocs/instructions']) {
      await mkdir(join(root, folder), { recursive: true });
    }
    await writeFile(join(root, `htdocs${options.location}/index.html`), '<h1>Demo portal</h1>\n');
    await writeFile(join(root, 'htdocs/instructions/index.html'), '<h1>Set up MFA</h1>\n');
    // Apache's children run as www-data: they must read the pages.
    await chmod(root, 0o755);
    await writeFile(instance.configFile, instance.config(options));
    return instance;
  }

  private config(options: ApacheOptions): string {
    const module = (name: string, file: string) => `LoadModule ${name}_module ${MODULES}/mod_${file}.so`;
    return [
      `ServerRoot "${this.root}"`,
      `Listen 127.0.0.1:${this.port}`,
      'ServerName 127.0.0.1',
      `PidFile "${this.root}/apache2.pid"`,
      `ErrorLog "${this.root}/logs/error.log"`,
      'LogLevel warn',
      'User www-data',
      'Group www-data',
      module('mpm_event', 'mpm_event'),
      module('authn_core', 'authn_core'),
      module('authz_core', 'authz_core'),
      module('authz_user', 'authz_user'),
      module('auth_openidc', 'auth_openidc'),
      module('rewrite', 'rewrite'),
      module('headers', 'headers'),
      module('dir', 'dir'),
      module('mime', 'mime'),
      'TypesConfig /etc/mime.types',
      'DirectoryIndex index.html',
      `DocumentRoot "${this.root}/htdocs"`,
      `<Directory "${this.root}/htdocs">`,
      '  Require all granted',
      '</Directory>',
      `CustomLog "${this.root}/logs/access.log" "%h %u %r %>s"`,
      `OIDCProviderMetadataURL ${options.issuer}/.well-known/openid-configuration`,
      `OIDCClientID ${options.clientId}`,
      `OIDCClientSecret ${options.clientSecret}`,
      `OIDCRedirectURI ${this.baseUrl}${options.location}/redirect_uri`,
      'OIDCCryptoPassphrase stepwise-test-passphrase',
      'OIDCScope "openid"',
      'OIDCPKCEMethod S256',
      // The baseline before any rule: signed in, nothing more.
      `<Location "${options.location}">`,
      '  AuthType openid-connect',
      '  Require valid-user',
      '</Location>',
      `IncludeOptional "${this.includeFile}"`,
      '',
    ].join('\n');
  }

  async start(): Promise<void> {
    await run('apache2', ['-f', this.configFile, '-k', 'start']);
  }

  async stop(): Promise<void> {
    // By its pid, not `apache2 -k stop`: that reads the configuration, which a test may have broken.
    const pid = await readFile(join(this.root, 'apache2.pid'), 'utf8').catch(() => null);
    if (pid !== null && isAlive(Number(pid))) {
      process.kill(Number(pid), 'SIGTERM');
    }
    for (let tries = 0; pid !== null && tries < 100 && isAlive(Number(pid)); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async remove(): Promise<void> {
    await this.stop();
    await rm(this.root, { recursive: true, force: true });
  }

  errorLog(): Promise<string> {
    return readFile(join(this.root, 'logs', 'error.log'), 'utf8').catch(() => '');
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
