/** The rules document's ETag: its generation, quoted as RFC 9110 wants. */
export const generationEtag = (generation: number): string => `"${generation}"`;

/**
 * RFC 9110 If-None-Match: `*`, or a list of entity tags compared weakly (a `W/` prefix is
 * ignored), so any cache or client spelling of the generation matches.
 */
export function matchesIfNoneMatch(header: string | undefined, generation: number): boolean {
  if (header === undefined) {
    return false;
  }
  const current = generationEtag(generation);
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === current);
}
