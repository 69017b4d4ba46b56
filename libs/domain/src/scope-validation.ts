import { joinPath } from './field-error';
import type { InputReader } from './input-reader';
import { MFA_CAPABILITIES, type PhaseScope, type PhaseSelector } from './plan.types';
import type { RevisionValidationContext } from './revision-context';

const SCOPE_FIELDS = ['all', 'services', 'selector', 'except', 'populations'];
const SELECTOR_FIELDS = ['mfaCapability', 'tags'];

function readServiceId(reader: InputReader, ctx: RevisionValidationContext) {
  return (value: unknown, path: string): string | undefined => {
    const id = reader.string(value, path);
    if (id !== undefined && !ctx.serviceIds.has(id)) {
      return reader.fail(path, `unknown service '${id}'`);
    }
    return id;
  };
}

function readSelector(reader: InputReader, value: unknown, path: string): PhaseSelector | undefined {
  const input = reader.record(value, path, SELECTOR_FIELDS);
  if (input === undefined) {
    return undefined;
  }
  if (input.mfaCapability === undefined && input.tags === undefined) {
    return reader.fail(path, 'must give mfaCapability, tags or both');
  }
  const selector: PhaseSelector = {};
  const before = reader.errors.length;
  if (input.mfaCapability !== undefined) {
    selector.mfaCapability = reader.oneOf(
      input.mfaCapability,
      joinPath(path, 'mfaCapability'),
      MFA_CAPABILITIES,
    );
  }
  if (input.tags !== undefined) {
    const tagItem = (tag: unknown, tagPath: string) => reader.nonEmptyString(tag, tagPath);
    selector.tags = reader.stringList(input.tags, joinPath(path, 'tags'), tagItem, 1);
  }
  return reader.errors.length === before ? selector : undefined;
}

/** `{services | selector | all, except?, populations?}`: exactly one of services, selector and all. */
export function readScope(
  reader: InputReader,
  value: unknown,
  path: string,
  ctx: RevisionValidationContext,
): PhaseScope | undefined {
  const input = reader.record(value, path, SCOPE_FIELDS);
  if (input === undefined) {
    return undefined;
  }
  const before = reader.errors.length;
  const scope: PhaseScope = {};
  const hasServices = input.services !== undefined;
  const hasSelector = input.selector !== undefined;
  const hasAll = input.all !== undefined;
  if (Number(hasServices) + Number(hasSelector) + Number(hasAll) !== 1) {
    reader.fail(path, 'must give exactly one of services, selector, all');
  } else if (hasAll) {
    if (input.all === true) {
      scope.all = true;
    } else {
      reader.fail(
        joinPath(path, 'all'),
        'must be true (every service); name services or a selector otherwise',
      );
    }
  } else if (hasServices) {
    scope.services = reader.stringList(
      input.services,
      joinPath(path, 'services'),
      readServiceId(reader, ctx),
      1,
    );
  } else {
    scope.selector = readSelector(reader, input.selector, joinPath(path, 'selector'));
  }
  if (input.except !== undefined) {
    scope.except = reader.stringList(input.except, joinPath(path, 'except'), readServiceId(reader, ctx));
  }
  if (input.populations !== undefined) {
    const population = (entry: unknown, entryPath: string): string | undefined => {
      const name = reader.string(entry, entryPath);
      if (name !== undefined && !ctx.populations.includes(name)) {
        return reader.fail(entryPath, `is not a population of the policy (${ctx.populations.join(', ')})`);
      }
      return name;
    };
    scope.populations = reader.stringList(input.populations, joinPath(path, 'populations'), population, 1);
  }
  return reader.errors.length === before ? scope : undefined;
}
