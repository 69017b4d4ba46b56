import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { runCommand } from './run-command';

export interface CheckedReplace {
  file: string;
  text: string;
  /** argv that checks the whole configuration with the candidate in place. */
  testCommand: string[];
  /** argv that makes the server use it; none when the server watches the file itself. */
  reloadCommand?: string[];
  /** The server's name in messages (`apache2 -t`, `shibd -t`). */
  what: string;
}

/**
 * Puts `text` in `file` only if the server's own check accepts it, then reloads; a failed check or
 * reload puts the previous content back (or removes the file when there was none) and throws.
 * The candidate sits at the file's path during the check, as the check reads it there.
 */
export async function replaceChecked(change: CheckedReplace): Promise<void> {
  const previous = await readFile(change.file, 'utf8').catch(() => null);
  if (previous === change.text) {
    return;
  }
  await writeAtomically(change.file, change.text);
  const test = await runCommand(change.testCommand);
  if (!test.ok) {
    await restore(change.file, previous);
    throw new Error(
      `${change.what} configuration test refused the new rules (previous file kept): ${test.output}`,
    );
  }
  if (change.reloadCommand !== undefined) {
    const reload = await runCommand(change.reloadCommand);
    if (!reload.ok) {
      await restore(change.file, previous);
      throw new Error(`${change.what} reload failed (previous file put back): ${reload.output}`);
    }
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.stepwise-tmp`;
  await writeFile(temporary, text, { mode: 0o644 });
  await rename(temporary, file);
}

async function restore(file: string, previous: string | null): Promise<void> {
  if (previous === null) {
    await rm(file, { force: true });
  } else {
    await writeAtomically(file, previous);
  }
}
