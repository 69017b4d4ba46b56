import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Level, RulesDocument } from '@stepwise/connector';
import { renderRequestMap, ShibbolethSpAdapter } from './shibboleth-sp.adapter';

const doc = (generation: number, level: Level): RulesDocument => ({
  service: 'utas',
  generation,
  hash: `sha256:${generation}`,
  computedAt: '2026-12-08T00:00:00.000Z',
  rules: [
    { policy: 'mfa', revision: 1, population: 'students', level, since: null, source: { kind: 'phase' } },
  ],
  nextChangeAt: null,
});

describe(renderRequestMap.name, () => {
  const input = {
    service: 'utas',
    generation: 2,
    host: 'utas.example.ac.jp',
    path: 'app',
    mfaContext: 'https://refeds.org/profile/mfa',
  };

  it('asks for the REFEDS MFA context only at enforced; a session is always required', () => {
    expect(renderRequestMap({ ...input, level: 'enforced' })).toContain(
      '<Path name="app" authType="shibboleth" requireSession="true" authnContextClassRef="https://refeds.org/profile/mfa"/>',
    );
    for (const level of ['warn', 'report-only', 'expected', 'none'] as const) {
      expect(renderRequestMap({ ...input, level })).toContain(
        '<Path name="app" authType="shibboleth" requireSession="true"/>',
      );
    }
  });
});

/** Against the Debian package's own shibboleth2.xml, pointed at the agent's file: `shibd -t` judges. */
describe(ShibbolethSpAdapter.name, () => {
  let folder: string;
  let mainConfig: string;
  let requestMapFile: string;
  const adapter = () =>
    new ShibbolethSpAdapter({
      type: 'shibboleth-sp',
      requestMapFile,
      host: 'utas.example.ac.jp',
      path: 'app',
      mfaContext: 'https://refeds.org/profile/mfa',
      testCommand: ['shibd', '-t', '-c', mainConfig],
    });

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'stepwise-shib-'));
    mainConfig = join(folder, 'shibboleth2.xml');
    requestMapFile = join(folder, 'stepwise-requestmap.xml');
    await cp('/etc/shibboleth/shibboleth2.xml', mainConfig);
    const text = await readFile(mainConfig, 'utf8');
    await writeFile(
      mainConfig,
      text.replace(
        '<ApplicationDefaults',
        `<RequestMapper type="XML" validate="true" reloadChanges="true" path="${requestMapFile}"/>\n    <ApplicationDefaults`,
      ),
    );
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('writes a RequestMap shibd accepts, for enforced and for sign-in only', async () => {
    await adapter().apply(doc(1, 'enforced'));
    expect(await readFile(requestMapFile, 'utf8')).toContain(
      'authnContextClassRef="https://refeds.org/profile/mfa"',
    );
    await adapter().apply(doc(2, 'none'));
    expect(await readFile(requestMapFile, 'utf8')).not.toContain('authnContextClassRef');
  });

  it('keeps the previous RequestMap when shibd -t refuses the configuration', async () => {
    const before = await readFile(requestMapFile, 'utf8');
    const config = await readFile(mainConfig, 'utf8');
    await writeFile(mainConfig, config.replace('</SPConfig>', ''));
    try {
      await expect(adapter().apply(doc(3, 'enforced'))).rejects.toThrow(
        /shibd -t\) configuration test refused/,
      );
    } finally {
      await writeFile(mainConfig, config);
    }
    expect(await readFile(requestMapFile, 'utf8')).toBe(before);
  });
});
