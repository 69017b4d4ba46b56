// Canonical JSON: object keys in code-unit order, no whitespace, arrays in order, keys whose
// value is undefined dropped. Two equal values always give the same text, so a hash of it
// (rules documents, the audit chain) changes exactly when the value does.

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      return writeObject(value, path);
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which JSON cannot represent`);
  }
}

function writeObject(value: object, path: string): string {
  if (Array.isArray(value)) {
    // As JSON.stringify does, an undefined array element is written as null.
    const items: unknown[] = value;
    return `[${items.map((item, index) => (item === undefined ? 'null' : write(item, `${path}[${index}]`))).join(',')}]`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (!isPlainObject(value)) throw new TypeError(`canonicalJson: ${path} is not a plain object`);
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const entry = value[key];
    if (entry === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${write(entry, `${path}.${key}`)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Throws a TypeError naming the path of a value JSON cannot hold (NaN, bigint, function, class instance). */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}
