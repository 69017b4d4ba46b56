import { parseDateOrInstant, toIso } from './dates';
import { type Validated, indexPath, joinPath } from './field-error';
import { InputReader } from './input-reader';
import { MFA_CAPABILITIES, type MfaCapability, type ServiceFacts } from './plan.types';
import { canonicalZone } from './policy-validation';

// `config/services/*.yaml`: the service directory a deployment starts with. Date-only
// values are read in the file's `timezone` (default UTC); services have no policy zone.

export type ServiceConnector = { type: 'pull' } | { type: 'webhook'; url: string; secret: string | null };

export interface ServiceFileEntry {
  id: string;
  name: string;
  owner: string | null;
  tags: string[];
  /** ISO UTC. */
  introducedAt: string | null;
  mfaCapability: MfaCapability;
  /** ISO UTC; only for `ready`. */
  readySince: string | null;
  connector: ServiceConnector;
}

export interface ServicesFile {
  timezone: string;
  services: ServiceFileEntry[];
}

const SERVICE_FIELDS = [
  'id',
  'name',
  'owner',
  'tags',
  'introducedAt',
  'mfaCapability',
  'readySince',
  'connector',
];

function readInstant(reader: InputReader, value: unknown, path: string, zone: string): string | null {
  if (value === undefined) {
    return null;
  }
  const text = reader.string(value, path);
  if (text === undefined) {
    return null;
  }
  const parsed = parseDateOrInstant(text, zone);
  return parsed.ok ? toIso(parsed.ms) : (reader.fail(path, parsed.message) ?? null);
}

function readConnector(reader: InputReader, value: unknown, path: string): ServiceConnector | undefined {
  const input = reader.record(value, path, ['type', 'url', 'secret']);
  if (input === undefined) {
    return undefined;
  }
  if (input.type === 'pull') {
    for (const field of ['url', 'secret']) {
      if (input[field] !== undefined) {
        reader.fail(joinPath(path, field), 'is not a field of a pull connector');
      }
    }
    return { type: 'pull' };
  }
  if (input.type === 'webhook') {
    const url = reader.httpUrl(input.url, joinPath(path, 'url'));
    const secret =
      input.secret === undefined
        ? null
        : (reader.nonEmptyString(input.secret, joinPath(path, 'secret')) ?? null);
    return url === undefined ? undefined : { type: 'webhook', url, secret };
  }
  return reader.fail(joinPath(path, 'type'), 'must be one of: pull, webhook');
}

function readService(
  reader: InputReader,
  value: unknown,
  path: string,
  zone: string,
): ServiceFileEntry | undefined {
  const input = reader.record(value, path, SERVICE_FIELDS);
  if (input === undefined) {
    return undefined;
  }
  const before = reader.errors.length;
  const id = reader.slug(input.id, joinPath(path, 'id'));
  const name = reader.nonEmptyString(input.name, joinPath(path, 'name'));
  const owner =
    input.owner === undefined ? null : (reader.nonEmptyString(input.owner, joinPath(path, 'owner')) ?? null);
  const tagItem = (tag: unknown, tagPath: string) => reader.nonEmptyString(tag, tagPath);
  const tags = input.tags === undefined ? [] : reader.stringList(input.tags, joinPath(path, 'tags'), tagItem);
  const introducedAt = readInstant(reader, input.introducedAt, joinPath(path, 'introducedAt'), zone);
  const mfaCapability = reader.oneOf(input.mfaCapability, joinPath(path, 'mfaCapability'), MFA_CAPABILITIES);
  const readySince = readInstant(reader, input.readySince, joinPath(path, 'readySince'), zone);
  if (readySince !== null && mfaCapability === 'not-ready') {
    reader.fail(joinPath(path, 'readySince'), 'is only allowed when mfaCapability is ready');
  }
  const connector = readConnector(reader, input.connector, joinPath(path, 'connector'));
  if (reader.errors.length !== before || id === undefined || name === undefined || tags === undefined) {
    return undefined;
  }
  if (mfaCapability === undefined || connector === undefined) {
    return undefined;
  }
  return { id, name, owner, tags, introducedAt, mfaCapability, readySince, connector };
}

/** `{timezone?, services: [...]}` → typed entries or field-named errors (`services[3].connector.url`). */
export function parseServicesFile(input: unknown): Validated<ServicesFile> {
  const reader = new InputReader();
  const record = reader.record(input, '', ['timezone', 'services']);
  if (record === undefined) {
    return { ok: false, errors: reader.errors };
  }
  let timezone = 'UTC';
  if (record.timezone !== undefined) {
    const text = reader.string(record.timezone, 'timezone');
    const zone = text === undefined ? undefined : canonicalZone(text);
    if (zone === undefined) {
      reader.fail('timezone', 'must be an IANA timezone (e.g. Asia/Tokyo)');
    } else {
      timezone = zone;
    }
  }
  const services: ServiceFileEntry[] = [];
  const seen = new Map<string, number>();
  (reader.array(record.services, 'services') ?? []).forEach((entry, index) => {
    const path = indexPath('services', index);
    const service = readService(reader, entry, path, timezone);
    if (service === undefined) {
      return;
    }
    const first = seen.get(service.id);
    if (first !== undefined) {
      reader.fail(joinPath(path, 'id'), `duplicates ${indexPath('services', first)}.id '${service.id}'`);
    }
    seen.set(service.id, index);
    services.push(service);
  });
  return reader.errors.length === 0
    ? { ok: true, value: { timezone, services } }
    : { ok: false, errors: reader.errors };
}

/**
 * Directory facts for a file entry registered at `recordedAt` (ISO): a ready service gets
 * one `ready` fact effective at readySince (else at registration), a not-ready one a
 * `not-ready` fact; both recorded at registration, so history stays honest.
 */
export function serviceFactsFromEntry(entry: ServiceFileEntry, recordedAt: string): ServiceFacts {
  const effectiveAt = entry.mfaCapability === 'ready' ? (entry.readySince ?? recordedAt) : recordedAt;
  return {
    id: entry.id,
    tags: [...entry.tags],
    recordedAt,
    introductions: entry.introducedAt === null ? [] : [{ introducedAt: entry.introducedAt, recordedAt }],
    capabilityChanges: [{ mfaCapability: entry.mfaCapability, effectiveAt, recordedAt }],
  };
}
