import { type FieldError, indexPath, joinPath } from './field-error';

// Small readers for untrusted `unknown` input. Each records a field-named error and
// returns undefined on failure, so a validator reports every problem in one pass.

export const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
export const SLUG_MESSAGE =
  'must be a slug: lowercase letters, digits and hyphens, 2 to 63 characters, not starting with a hyphen';

export type InputRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is InputRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class InputReader {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }

  /** The value as an object whose keys are all in `allowed`; unknown keys are each reported. */
  record(value: unknown, path: string, allowed: readonly string[]): InputRecord | undefined {
    if (!isRecord(value)) {
      return this.fail(path || '(root)', 'must be an object');
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail(joinPath(path, key), 'is not a known field');
      }
    }
    return value;
  }

  string(value: unknown, path: string): string | undefined {
    if (typeof value !== 'string') {
      return this.fail(path, 'must be a string');
    }
    return value;
  }

  nonEmptyString(value: unknown, path: string): string | undefined {
    const text = this.string(value, path);
    if (text !== undefined && text.trim() === '') {
      return this.fail(path, 'must not be empty');
    }
    return text;
  }

  slug(value: unknown, path: string): string | undefined {
    const text = this.string(value, path);
    if (text !== undefined && !SLUG.test(text)) {
      return this.fail(path, SLUG_MESSAGE);
    }
    return text;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T | undefined {
    const found = allowed.find((candidate) => candidate === value);
    if (found === undefined) {
      return this.fail(path, `must be one of: ${allowed.join(', ')}`);
    }
    return found;
  }

  /** An absolute http(s) URL. */
  httpUrl(value: unknown, path: string): string | undefined {
    const text = this.string(value, path);
    if (text === undefined) {
      return undefined;
    }
    let protocol = '';
    try {
      protocol = new URL(text).protocol;
    } catch {
      return this.fail(path, 'must be an absolute URL');
    }
    return protocol === 'http:' || protocol === 'https:'
      ? text
      : this.fail(path, 'must be an http or https URL');
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (typeof value !== 'boolean') {
      return this.fail(path, 'must be true or false');
    }
    return value;
  }

  array(value: unknown, path: string): readonly unknown[] | undefined {
    if (!Array.isArray(value)) {
      return this.fail(path, 'must be an array');
    }
    return value as readonly unknown[];
  }

  /**
   * A list of distinct strings, each checked by `item` (which reports its own errors);
   * `minItems` 1 refuses an empty list.
   */
  stringList(
    value: unknown,
    path: string,
    item: (entry: unknown, entryPath: string) => string | undefined,
    minItems = 0,
  ): string[] | undefined {
    const entries = this.array(value, path);
    if (entries === undefined) {
      return undefined;
    }
    if (entries.length < minItems) {
      return this.fail(path, 'must list at least one entry');
    }
    const seen = new Map<string, number>();
    const result: string[] = [];
    let valid = true;
    entries.forEach((entry, index) => {
      const entryPath = indexPath(path, index);
      const text = item(entry, entryPath);
      if (text === undefined) {
        valid = false;
        return;
      }
      const first = seen.get(text);
      if (first !== undefined) {
        valid = false;
        this.fail(entryPath, `duplicates ${indexPath(path, first)}`);
        return;
      }
      seen.set(text, index);
      result.push(text);
    });
    return valid ? result : undefined;
  }
}
