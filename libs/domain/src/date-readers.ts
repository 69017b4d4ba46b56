import { parseDateOnly, parseDateOrInstant, parseTentative } from './dates';
import type { InputReader } from './input-reader';

// Validators keep dates as written (the stored plan shows what the author wrote) and
// check here that they parse in the policy's zone.

export function readDateOrInstant(
  reader: InputReader,
  value: unknown,
  path: string,
  zone: string,
): string | undefined {
  const text = reader.string(value, path);
  if (text === undefined) return undefined;
  const parsed = parseDateOrInstant(text, zone);
  return parsed.ok ? text : reader.fail(path, parsed.message);
}

export function readDate(
  reader: InputReader,
  value: unknown,
  path: string,
  zone: string,
): string | undefined {
  const text = reader.string(value, path);
  if (text === undefined) return undefined;
  const parsed = parseDateOnly(text, zone);
  return parsed.ok ? text : reader.fail(path, parsed.message);
}

export function readTentative(reader: InputReader, value: unknown, path: string): string | undefined {
  const text = reader.string(value, path);
  if (text === undefined) return undefined;
  const parsed = parseTentative(text);
  return parsed.ok ? text : reader.fail(path, parsed.message);
}
