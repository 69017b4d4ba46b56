import { ParseIntPipe } from '@nestjs/common';
import { DomainError } from '@stepwise/common/domain-error';

/** `:n` of a revision route: a positive integer, else 400 naming it. */
export const revisionNumberPipe = (): ParseIntPipe =>
  new ParseIntPipe({
    exceptionFactory: () =>
      DomainError.validation([{ field: 'n', message: 'must be a revision number (1, 2, 3 …)' }]),
  });
