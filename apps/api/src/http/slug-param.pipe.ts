import type { PipeTransform } from '@nestjs/common';
import { DomainError } from '@stepwise/common/domain-error';
import { SLUG, SLUG_MESSAGE } from '@stepwise/domain/input-reader';

/**
 * A service or policy id in the path. Ids are slugs (creation and import refuse anything else),
 * so any other value is bad input, refused with 400 before it reaches a query: PostgreSQL refuses
 * a NUL in text outright, which would otherwise surface as a 500.
 */
export const slugParam = (field: string): PipeTransform<string, string> => ({
  transform(value: string): string {
    if (!SLUG.test(value)) {
      throw DomainError.validation([{ field, message: SLUG_MESSAGE }]);
    }
    return value;
  },
});
