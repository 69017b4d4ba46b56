import type { HashedAuditFields } from './audit-hash';

/**
 * One event as the API lists it, the export writes it and the verifiers read it: every stored
 * field under the names the issue gives, `seq` as a number and `occurredAt` as a UTC ISO instant.
 */
export interface AuditEventRecord extends HashedAuditFields {
  hash: string;
}

/** The fields an event's hash covers, in the shape `auditEventHash` takes. */
export const hashedFieldsOf = ({ hash: _hash, ...fields }: AuditEventRecord): HashedAuditFields => fields;
