import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from '@stepwise/common/domain-error';
import { firstUnstorableText } from '@stepwise/common/storable-text';

/** What the API says of a field, in the words its own readers use (input-reader.ts). */
export const UNKNOWN_FIELD = 'is not a known field';
export const REQUIRED_FIELD = 'is required';

/**
 * class-validator's texts in the API's words: an unknown field `is not a known field` (not
 * `property x should not exist`), a missing one `is required` (not `must be a string`), and the
 * others without the property name repeated after the field that already names it.
 */
const messagesOf = (error: ValidationError): string[] => {
  const constraints = error.constraints ?? {};
  if ('whitelistValidation' in constraints) {
    return [UNKNOWN_FIELD];
  }
  if (error.value === undefined && Object.keys(constraints).length > 0) {
    return [REQUIRED_FIELD];
  }
  const prefix = `${error.property} `;
  return Object.values(constraints).map((message) =>
    message.startsWith(prefix) ? message.slice(prefix.length) : message,
  );
};

const flatten = (errors: ValidationError[], parent = ''): FieldError[] =>
  errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = messagesOf(error).map((message) => ({ field, message }));
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
