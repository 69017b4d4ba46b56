// Canonical JSON: object keys in code-unit order, no whitespace, arrays in order, keys whose
// value is undefined dropped. Two equal values always give the same text, so a hash of it
// (rules documents, the audit chain) changes exactly when the value does.

// Characters JSON.stringify would escape (controls, quote, backslash, surrogates).
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Same text as JSON.stringify; skips it for the common plain string (hashing is on a hot path). */
function writeString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** canonicalJson of a string (the text JSON.stringify gives), without a writer. */
export const canonicalJsonString = writeString;

class CanonicalWriter {
  /** Path of the value being written, for error messages only. */
  private readonly path: (string | number)[] = [];

  write(value: unknown): string {
    if (value === null) {
      return 'null';
    }
    switch (typeof value) {
      case 'string':
        return writeString(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(value)) {
          this.refuse('is not a finite number');
        }
        return JSON.stringify(value);
      case 'object':
        return Array.isArray(value) ? this.writeArray(value) : this.writeObject(value);
      case 'bigint':
      case 'function':
      case 'symbol':
      case 'undefined':
        return this.refuse(`is a ${typeof value}, which JSON cannot represent`);
    }
    // TypeScript cannot see that `typeof` has no other answers.
    return this.refuse('is of an unknown type');
  }

  private writeArray(items: readonly unknown[]): string {
    let text = '[';
    for (let index = 0; index < items.length; index += 1) {
      this.path.push(index);
      // As JSON.stringify does, an undefined element is written as null.
      text += (index === 0 ? '' : ',') + (items[index] === undefined ? 'null' : this.write(items[index]));
      this.path.pop();
    }
    return `${text}]`;
  }

  private writeObject(value: object): string {
    if (value instanceof Date) {
      return `"${value.toISOString()}"`;
    }
    if (!isPlainObject(value)) {
      return this.refuse('is not a plain object');
    }
    let text = '{';
    for (const key of Object.keys(value).sort()) {
      const entry = value[key];
      if (entry === undefined) {
        continue;
      }
      this.path.push(key);
      text += `${text.length === 1 ? '' : ','}${writeString(key)}:${this.write(entry)}`;
      this.path.pop();
    }
    return `${text}}`;
  }

  private refuse(problem: string): never {
    const where = this.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('');
    throw new TypeError(`canonicalJson: $${where} ${problem}`);
  }
}

/** Throws a TypeError naming the path of a value JSON cannot hold (NaN, bigint, function, class instance). */
export function canonicalJson(value: unknown): string {
  return new CanonicalWriter().write(value);
}
