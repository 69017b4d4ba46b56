import { readFile, writeFile } from 'node:fs/promises';
import type { Level, RulesDocument } from '@stepwise/connector';
import { ApacheInstance } from '../testing/apache-instance';
import { ApacheOidcAdapter } from './apache-oidc.adapter';

const doc = (generation: number, level: Level): RulesDocument => ({
  service: 'demo-portal',
  generation,
  hash: `sha256:${generation}`,
  computedAt: '2026-01-01T00:00:00.000Z',
  rules: [
    { policy: 'mfa', revision: 1, population: 'students', level, since: null, source: { kind: 'phase' } },
    { policy: 'mfa', revision: 1, population: 'staff', level: 'none', since: null, source: { kind: 'none' } },
  ],
  nextChangeAt: null,
});

/** Against a real Apache configuration with mod_auth_openidc: `apache2 -t` judges every file. */
describe(ApacheOidcAdapter.name, () => {
  let apache: ApacheInstance;
  const adapterWith = (reloadCommand: string[], populations?: string[]) =>
    new ApacheOidcAdapter(
      {
        type: 'apache-oidc',
        includeFile: apache.includeFile,
        location: '/app',
        mfaAcr: 'https://refeds.org/profile/mfa',
        unauthorized: 'step-up',
        instructionsUrl: '/instructions/',
        reportLog: apache.reportLog,
        testCommand: apache.testCommand,
        reloadCommand,
      },
      populations,
    );

  beforeAll(async () => {
    apache = await ApacheInstance.create({
      issuer: 'http://127.0.0.1:9/idp',
      clientId: 'demo',
      clientSecret: 'secret',
      location: '/app',
    });
  });
  afterAll(() => apache.remove());

  it('writes an include file that Apache accepts, for every level', async () => {
    const sut = adapterWith(['true']);
    for (const [generation, level] of (
      ['enforced', 'warn', 'report-only', 'expected', 'none'] as const
    ).entries()) {
      await sut.apply(doc(generation + 1, level));
      expect(await readFile(apache.includeFile, 'utf8')).toContain(
        `generation ${generation + 1}, level ${level}`,
      );
    }
  });

  it('applies the strongest level of the populations it serves', async () => {
    await adapterWith(['true'], ['staff']).apply(doc(10, 'enforced'));
    expect(await readFile(apache.includeFile, 'utf8')).toContain('level none');
    await adapterWith(['true']).apply(doc(11, 'enforced'));
    expect(await readFile(apache.includeFile, 'utf8')).toContain('level enforced');
  });

  it('keeps the previous file when the configuration test fails, and when the reload fails', async () => {
    const before = await readFile(apache.includeFile, 'utf8');
    // A configuration that no longer loads mod_auth_openidc: `AuthType openid-connect` fails the test.
    const config = await readFile(apache.configFile, 'utf8');
    await writeFile(apache.configFile, config.replace(/^LoadModule auth_openidc.*$/m, ''));
    try {
      await expect(adapterWith(['true']).apply(doc(12, 'none'))).rejects.toThrow(
        /configuration test refused the new rules/,
      );
    } finally {
      await writeFile(apache.configFile, config);
    }
    expect(await readFile(apache.includeFile, 'utf8')).toBe(before);
    await expect(adapterWith(['false']).apply(doc(13, 'none'))).rejects.toThrow(
      /reload failed \(previous file put back\)/,
    );
    expect(await readFile(apache.includeFile, 'utf8')).toBe(before);
  });
});
