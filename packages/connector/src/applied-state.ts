import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RulesDocument } from './rules-document';

/** What an enforcement point last applied: enough to never re-apply or go backwards. */
export interface AppliedState {
  service: string;
  generation: number;
  hash: string;
  appliedAt: string;
}

export type ApplyDecision = 'apply' | 'already-applied' | 'older';

/** Whether a document is new to this enforcement point, given what it last applied. */
export function decide(document: RulesDocument, state: AppliedState | null): ApplyDecision {
  if (state === null || document.generation > state.generation) {
    return 'apply';
  }
  return document.generation === state.generation ? 'already-applied' : 'older';
}

/**
 * The applied state in one JSON file, written durably: a temporary file is written and fsynced,
 * then renamed over the old one, so a crash leaves either the old state or the new, never half.
 */
export class FileAppliedState {
  constructor(private readonly path: string) {}

  async load(): Promise<AppliedState | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return null;
      }
      throw error;
    }
    const state = JSON.parse(text) as AppliedState;
    if (!Number.isSafeInteger(state.generation) || typeof state.hash !== 'string') {
      throw new Error(`${this.path}: not an applied state (generation and hash expected)`);
    }
    return state;
  }

  async save(state: AppliedState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(state)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.path);
  }
}
