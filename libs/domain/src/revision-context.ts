/** What a revision plan is checked against: its policy and the service directory. */
export interface RevisionValidationContext {
  /** The policy's IANA zone, in which date-only values are read. */
  timezone: string;
  populations: readonly string[];
  serviceIds: ReadonlySet<string>;
  /** Prefix for every error path, e.g. `revisions[1]` when the plan sits inside a file. */
  path?: string;
  /** Root fields the caller validates itself (e.g. `summary`); they are not refused as unknown. */
  otherRootFields?: readonly string[];
}
