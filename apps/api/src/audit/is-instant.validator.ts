import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { DateTime } from 'luxon';

// A date and a time of day, and an explicit offset: an instant without one is refused, never guessed.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const parseInstant = (value: string): DateTime => DateTime.fromISO(value, { setZone: true });

export const isInstant = (value: unknown): value is string =>
  typeof value === 'string' && INSTANT.test(value) && parseInstant(value).isValid;

/** An ISO 8601 instant with an offset (`2024-03-01T00:00:00Z`, `2024-03-01T09:00+09:00`). */
export const IsInstant = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: isInstant,
        defaultMessage: buildMessage(
          (prefix) =>
            `${prefix}$property must be an ISO 8601 instant with an offset, e.g. 2024-03-01T00:00:00Z`,
          options,
        ),
      },
    },
    options,
  );
