import type { SecretBox } from '@stepwise/connectors/secret-box';
import type { KeptAnswer, SealedAnswer } from '@stepwise/persistence/idempotency-key.entity';

/** Whose answer it is: a sealed answer opens only for the key it was kept under. */
export interface AnswerOwner {
  principalId: string;
  key: string;
}

interface SealedContent extends AnswerOwner {
  answer: KeptAnswer;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isKeptAnswer = (value: unknown): value is KeptAnswer =>
  isObject(value) && 'body' in value && isObject(value.headers);

const isSealed = (stored: SealedAnswer | KeptAnswer): stored is SealedAnswer =>
  'sealed' in stored && typeof stored.sealed === 'string';

/**
 * Seals the answers `idempotency_keys` keeps for replays, since some carry secrets shown once
 * (a new bearer token, a webhook secret): one AES-GCM pass per kept answer, one per replay. The
 * owner is sealed in with the answer: the box has no associated data, and a sealed answer copied
 * into another token's row must not open there, or a replay would decrypt it for that token.
 */
export class KeptAnswerSeal {
  constructor(private readonly box: Pick<SecretBox, 'encrypt' | 'decrypt'>) {}

  seal(owner: AnswerOwner, answer: KeptAnswer): SealedAnswer {
    const content: SealedContent = { principalId: owner.principalId, key: owner.key, answer };
    return { sealed: this.box.encrypt(JSON.stringify(content)) };
  }

  /**
   * The answer to replay, or null when it cannot be opened (sealed under another
   * STEPWISE_SECRET_KEY, altered, or another owner's). An answer kept in clear, before answers
   * were sealed, is replayed as it is: the sweep forgets it within a day.
   */
  open(owner: AnswerOwner, stored: SealedAnswer | KeptAnswer): KeptAnswer | null {
    if (!isSealed(stored)) {
      return isKeptAnswer(stored) ? stored : null;
    }
    let content: unknown;
    try {
      content = JSON.parse(this.box.decrypt(stored.sealed));
    } catch {
      return null;
    }
    if (!isObject(content) || content.principalId !== owner.principalId || content.key !== owner.key) {
      return null;
    }
    return isKeptAnswer(content.answer) ? content.answer : null;
  }
}
