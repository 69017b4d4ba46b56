import { parseDateOnly, parseDateOrInstant, parseTentative } from './dates';
import type { InputReader } from './input-reader';

// Validators keep dates as written (the stored plan shows what the author wrote) and
// check here that they parse in the policy's zone.

/** A string that `parse` accepts, kept as written; otherwise the parser's message at `path`. */
function readParsed(
  reader: InputReader,
  value: unknown,
  path: string,
  parse: (text: string) => { ok: true } | { ok: false; message: string },
): string | undefined {
  const text = reader.string(value, path);
  if (text === undefined) {
    return undefined;
  }
  const parsed = parse(text);
  return parsed.ok ? text : reader.fail(path, parsed.message);
}

export const readDateOrInstant = (
  reader: InputReader,
  value: unknown,
  path: string,
  zone: string,
): string | undefined => readParsed(reader, value, path, (text) => parseDateOrInstant(text, zone));

export const readDate = (
  reader: InputReader,
  value: unknown,
  path: string,
  zone: string,
): string | undefined => readParsed(reader, value, path, (text) => parseDateOnly(text, zone));

export const readTentative = (reader: InputReader, value: unknown, path: string): string | undefined =>
  readParsed(reader, value, path, parseTentative);
