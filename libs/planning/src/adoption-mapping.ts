import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DomainError } from '@stepwise/common/domain-error';
import { type PopulationMapping, readPopulationMapping } from '@stepwise/domain/adoption-people';

/** Reads the population mapping for per-person exports; a missing or invalid file refuses the import (400). */
export function loadPopulationMapping(file: string, populations: ReadonlySet<string>): PopulationMapping {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw DomainError.validation([
      { field: 'mapping', message: `cannot read ${file}: ${(error as Error).message}` },
    ]);
  }
  const read = readPopulationMapping(document, populations);
  if (!read.ok) {
    throw DomainError.validation(
      read.errors.map((e) => ({ field: `mapping.${e.field}`, message: e.message })),
    );
  }
  return read.mapping;
}
