import type { PipeTransform } from '@nestjs/common';
import { DomainError } from '@stepwise/common/domain-error';

/** Revision numbers are PostgreSQL integers: 1 up to 2^31 − 1. */
const MAX_REVISION_NUMBER = 2_147_483_647;

/** `:n` of a revision route: a positive integer a revision can have, else 400 naming it. */
export const revisionNumberPipe = (field = 'n'): PipeTransform<string, number> => ({
  transform(value: string): number {
    const number = /^[0-9]{1,10}$/.test(value) ? Number(value) : NaN;
    if (!(number >= 1 && number <= MAX_REVISION_NUMBER)) {
      throw DomainError.validation([{ field, message: 'must be a revision number (1, 2, 3 …)' }]);
    }
    return number;
  },
});
