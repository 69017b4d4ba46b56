import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from '@stepwise/common/domain-error';
import { firstUnstorableText } from '@stepwise/common/storable-text';

const flatten = (errors: ValidationError[], parent = ''): FieldError[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });

/**
 * Whitelisting validation for every body, query and path parameter; errors name their fields.
 * First, any text PostgreSQL could not store as sent (a NUL, a lone surrogate), wherever it sits,
 * is refused with 400 naming it: no route then meets it in a query or a COPY.
 */
class StepwiseValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const field = firstUnstorableText(value, metadata.data ?? '');
      if (field !== null) {
        throw DomainError.validation([
          { field, message: 'holds a NUL or a lone surrogate, which cannot be stored as text' },
        ]);
      }
    }
    return super.transform(value, metadata);
  }
}

export const stepwiseValidationPipe = (): ValidationPipe =>
  new StepwiseValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => DomainError.validation(flatten(errors)),
  });
