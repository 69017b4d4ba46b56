import { UNSTORABLE_TEXT } from '@stepwise/common/storable-text';
import { copyField } from './audit-copy';
import { PrehashedAuditEvent, storedJsonOf, UnplacedAuditFields } from './audit-prehash';

// Text that cannot be stored as given (see UNSTORABLE_TEXT; its hash would cover what was not
// stored) is refused before the event joins a group, so that it fails its own caller and not a
// whole group's COPY.
// Almost every value has none of these, and is its own COPY text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const NEEDS_CARE = /[\\\n\r\t\u0000\ud800-\udfff]/;

function textColumn(column: string, value: string | null): string {
  if (value === null) {
    return '\\N';
  }
  if (!NEEDS_CARE.test(value)) {
    return value;
  }
  if (UNSTORABLE_TEXT.test(value)) {
    throw new TypeError(`audit event ${column} holds a NUL or a lone surrogate, which cannot be stored`);
  }
  return copyField(value);
}

/** Canonical JSON has no raw control characters: only its backslashes need escaping. JSON null is SQL NULL, as the INSERT path stores it. */
const jsonColumn = (json: string): string =>
  json === 'null' ? '\\N' : json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;

/**
 * An event ready for a COPY group: its prehash, and the COPY text of the eleven columns its place
 * on the chain does not decide (actor_id … outcome), built before the head row is locked. Only
 * flat strings are kept while the event waits for its group.
 */
export class CopyReadyAuditEvent {
  readonly prehashed: PrehashedAuditEvent;
  readonly columns: string;

  constructor(fields: UnplacedAuditFields) {
    const json = storedJsonOf(fields);
    this.prehashed = new PrehashedAuditEvent(fields, json);
    this.columns = [
      textColumn('actor.id', fields.actor.id),
      textColumn('actor.name', fields.actor.name),
      textColumn('actor.role', fields.actor.role),
      textColumn('action', fields.action),
      textColumn('resourceType', fields.resourceType),
      textColumn('resourceId', fields.resourceId),
      jsonColumn(json.before),
      jsonColumn(json.after),
      textColumn('reason', fields.reason),
      textColumn('requestId', fields.requestId),
      textColumn('outcome', fields.outcome),
    ].join('\t');
  }
}
