import { readFileSync, writeFileSync } from 'node:fs';
import { createApiApp } from './api-app.factory';
import { buildOpenApiDocument } from './http/openapi';

/**
 * `--write FILE` regenerates the committed OpenAPI document; `--check FILE` exits 1 when the code's
 * document differs from it (CI runs this). Boots the app as production does, without listening.
 */
async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if ((mode !== '--write' && mode !== '--check') || !file) {
    throw new Error('usage: openapi.script (--write|--check) FILE');
  }
  process.env.LOG_LEVEL ??= 'warn';
  const app = await createApiApp();
  await app.init();
  const generated = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  if (mode === '--write') {
    writeFileSync(file, generated);
    process.stdout.write(`wrote ${file}\n`);
    return;
  }
  const committed = readFileSync(file, 'utf8');
  if (committed !== generated) {
    process.stderr.write(`${file} is out of date with the code: run npm run openapi:write and commit it\n`);
    process.exit(1);
  }
  process.stdout.write(`${file} matches the code\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
