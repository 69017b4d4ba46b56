import { GATE_METRICS, type Gate, parseDataAge } from './adoption';
import { indexPath, joinPath } from './field-error';
import type { InputReader } from './input-reader';

const GATE_FIELDS = ['population', 'metric', 'atLeast', 'forDays', 'maxDataAge'];

function readGate(
  reader: InputReader,
  value: unknown,
  path: string,
  populations: readonly string[],
): Gate | undefined {
  const input = reader.record(value, path, GATE_FIELDS);
  if (input === undefined) {
    return undefined;
  }
  const before = reader.errors.length;
  const population = reader.string(input.population, joinPath(path, 'population'));
  if (population !== undefined && !populations.includes(population)) {
    reader.fail(joinPath(path, 'population'), `'${population}' is not a population of the policy`);
  }
  const metric = reader.oneOf(input.metric, joinPath(path, 'metric'), GATE_METRICS);
  const atLeast = input.atLeast;
  if (typeof atLeast !== 'number' || !Number.isFinite(atLeast) || atLeast < 0 || atLeast > 1) {
    reader.fail(joinPath(path, 'atLeast'), 'must be a number from 0 to 1 (a share, 0.95 = 95 %)');
  }
  const forDays = input.forDays;
  if (
    forDays !== undefined &&
    (!Number.isInteger(forDays) || (forDays as number) < 1 || (forDays as number) > 365)
  ) {
    reader.fail(joinPath(path, 'forDays'), 'must be a whole number of days from 1 to 365');
  }
  const maxDataAge = input.maxDataAge;
  if (
    maxDataAge !== undefined &&
    (typeof maxDataAge !== 'string' || parseDataAge(maxDataAge) === undefined)
  ) {
    reader.fail(joinPath(path, 'maxDataAge'), 'must be a duration such as 48h, 2d or 90m');
  }
  if (reader.errors.length !== before || population === undefined || metric === undefined) {
    return undefined;
  }
  const gate: Gate = { population, metric, atLeast: atLeast as number };
  if (forDays !== undefined) {
    gate.forDays = forDays as number;
  }
  if (maxDataAge !== undefined) {
    gate.maxDataAge = maxDataAge as string;
  }
  return gate;
}

/**
 * A phase's gates. They mean something only on an active, confirmed phase: on a tentative or
 * suspended one the list is refused rather than silently ignored.
 */
export function readGates(
  reader: InputReader,
  value: unknown,
  path: string,
  phase: { confirmed: boolean; state: string | undefined },
  populations: readonly string[],
): Gate[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  const entries = reader.array(value, path);
  if (entries === undefined) {
    return undefined;
  }
  if (!phase.confirmed) {
    return reader.fail(path, 'a tentative phase cannot carry gates (it never takes effect by itself)');
  }
  if (phase.state !== undefined && phase.state !== 'active') {
    return reader.fail(path, `a ${phase.state} phase cannot carry gates`);
  }
  if (entries.length === 0) {
    return reader.fail(path, 'must list at least one gate, or be left out');
  }
  const gates: Gate[] = [];
  entries.forEach((entry, index) => {
    const gate = readGate(reader, entry, indexPath(path, index), populations);
    if (gate !== undefined) {
      gates.push(gate);
    }
  });
  return gates.length === entries.length ? gates : undefined;
}
