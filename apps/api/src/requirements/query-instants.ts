import { DomainError, FieldError } from '@stepwise/common/domain-error';
import { parseInstantParam } from '@stepwise/domain/dates';

/**
 * Reads optional instant query parameters (an ISO instant with an offset, or a bare date read in
 * the deployment's zone); every malformed one is reported, each by its name.
 */
export function readInstantParams<K extends string>(
  params: Partial<Record<NoInfer<K>, string>>,
  defaults: Record<K, number>,
  zone: string,
): Record<K, number> {
  const errors: FieldError[] = [];
  const result = { ...defaults };
  for (const name of Object.keys(defaults) as K[]) {
    const raw = params[name];
    if (raw === undefined) {
      continue;
    }
    const parsed = parseInstantParam(raw, name, zone);
    if (parsed.ok) {
      result[name] = parsed.ms;
    } else {
      errors.push(parsed.error);
    }
  }
  if (errors.length > 0) {
    throw DomainError.validation(errors);
  }
  return result;
}
