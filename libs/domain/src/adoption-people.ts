import type { ColumnSpec } from './adoption-file';
import { type FieldError, indexPath, joinPath } from './field-error';
import { InputReader } from './input-reader';

// Per-person exports (Microsoft Entra userRegistrationDetails, Okta "MFA Enrollment by User",
// Google Workspace users) reduced to one outcome per person: which population, and registered or
// not, or left out of the denominator (disabled, suspended, guests, service accounts).

export type PeopleFormat = 'entra' | 'okta' | 'google';

/** Columns of each vendor's documented layout; anything else refuses the file. */
export const PEOPLE_COLUMNS: Readonly<Record<PeopleFormat, ColumnSpec>> = {
  entra: {
    required: ['userPrincipalName', 'userType', 'isMfaRegistered'],
    optional: [
      'id',
      'userDisplayName',
      'isAdmin',
      'isSsprRegistered',
      'isSsprEnabled',
      'isSsprCapable',
      'isMfaCapable',
      'isPasswordlessCapable',
      'methodsRegistered',
      'isSystemPreferredAuthenticationMethodEnabled',
      'systemPreferredAuthenticationMethods',
      'userPreferredMethodForSecondaryAuthentication',
      'lastUpdatedDateTime',
      'accountEnabled',
      '@odata.type',
    ],
  },
  okta: {
    required: ['User email', 'User status', 'Authenticator types'],
    optional: [
      'User',
      'Username',
      'User isAdmin',
      'Authenticator count',
      'Group',
      'Groups',
      'User created',
      'User activated',
    ],
  },
  google: {
    required: ['primaryEmail', 'isEnrolledIn2Sv', 'suspended'],
    optional: [
      'id',
      'name',
      'isEnforcedIn2Sv',
      'archived',
      'orgUnitPath',
      'isAdmin',
      'creationTime',
      'lastLoginTime',
      'kind',
      'etag',
    ],
  },
};

const EMAIL_COLUMN: Readonly<Record<PeopleFormat, string>> = {
  entra: 'userPrincipalName',
  okta: 'User email',
  google: 'primaryEmail',
};
const GROUP_COLUMNS: Readonly<Record<PeopleFormat, readonly string[]>> = {
  entra: [],
  okta: ['Group', 'Groups'],
  google: ['orgUnitPath'],
};

export type MappingRule =
  | { population: string; domain: string }
  | { population: string; group: string }
  | { population: string; attribute: { column: string; equals: string } };

export interface PopulationMapping {
  /** First match wins. */
  rules: MappingRule[];
  /** Email local parts matching this are service accounts, left out. */
  serviceAccountPattern: RegExp | null;
  /** Members of this group (or org unit) are service accounts, left out. */
  serviceAccountGroup: string | null;
}

export type PersonOutcome =
  | { kind: 'counted'; population: string; registered: boolean }
  | { kind: 'left-out'; why: 'disabled' | 'guest' | 'service-account' | 'unmapped' }
  | { kind: 'bad'; message: string };

const text = (value: unknown): string =>
  typeof value === 'string'
    ? value.trim()
    : typeof value === 'boolean' || typeof value === 'number'
      ? String(value)
      : '';

function truth(value: unknown): boolean | null {
  const t = text(value).toLowerCase();
  if (t === 'true' || t === 'yes' || t === '1') {
    return true;
  }
  if (t === 'false' || t === 'no' || t === '0' || t === '') {
    return t === '' ? null : false;
  }
  return null;
}

function groupsOf(record: Readonly<Record<string, unknown>>, format: PeopleFormat): string[] {
  return GROUP_COLUMNS[format].flatMap((column) =>
    text(record[column])
      .split(/[;,|]/)
      .map((g) => g.trim())
      .filter((g) => g !== ''),
  );
}

function inGroup(groups: readonly string[], wanted: string): boolean {
  // An org unit path matches its own unit and every unit under it.
  return groups.some((g) => g === wanted || (wanted.startsWith('/') && g.startsWith(`${wanted}/`)));
}

function registeredOf(record: Readonly<Record<string, unknown>>, format: PeopleFormat): boolean | string {
  if (format === 'entra') {
    return truth(record.isMfaRegistered) ?? 'isMfaRegistered must be true or false';
  }
  if (format === 'google') {
    return truth(record.isEnrolledIn2Sv) ?? 'isEnrolledIn2Sv must be true or false';
  }
  // Okta: enrolled in any authenticator besides the password.
  const types = text(record['Authenticator types'])
    .split(/[;,|]/)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '' && t !== 'password');
  return types.length > 0;
}

function disabled(record: Readonly<Record<string, unknown>>, format: PeopleFormat): boolean {
  if (format === 'okta') {
    return text(record['User status']).toLowerCase() !== 'active';
  }
  if (format === 'google') {
    return truth(record.suspended) === true || truth(record.archived) === true;
  }
  return truth(record.accountEnabled) === false;
}

/** One person of an export: their population and whether they registered, or why they are left out. */
export function classifyPerson(
  record: Readonly<Record<string, unknown>>,
  format: PeopleFormat,
  mapping: PopulationMapping,
): PersonOutcome {
  const email = text(record[EMAIL_COLUMN[format]]).toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0) {
    return { kind: 'bad', message: `${EMAIL_COLUMN[format]} must be an address name@domain` };
  }
  const registered = registeredOf(record, format);
  if (typeof registered === 'string') {
    return { kind: 'bad', message: registered };
  }
  if (disabled(record, format)) {
    return { kind: 'left-out', why: 'disabled' };
  }
  if (format === 'entra' && text(record.userType).toLowerCase() === 'guest') {
    return { kind: 'left-out', why: 'guest' };
  }
  const groups = groupsOf(record, format);
  if (
    (mapping.serviceAccountPattern !== null && mapping.serviceAccountPattern.test(email.slice(0, at))) ||
    (mapping.serviceAccountGroup !== null && inGroup(groups, mapping.serviceAccountGroup))
  ) {
    return { kind: 'left-out', why: 'service-account' };
  }
  const domain = email.slice(at + 1);
  for (const rule of mapping.rules) {
    const matches =
      'domain' in rule
        ? domain === rule.domain || domain.endsWith(`.${rule.domain}`)
        : 'group' in rule
          ? inGroup(groups, rule.group)
          : text(record[rule.attribute.column]) === rule.attribute.equals;
    if (matches) {
      return { kind: 'counted', population: rule.population, registered };
    }
  }
  return { kind: 'left-out', why: 'unmapped' };
}

const MAPPING_FIELDS = ['populations', 'serviceAccounts'];
const RULE_FIELDS = ['population', 'domain', 'group', 'attribute'];

/** `config/adoption/populations.yaml`, already parsed; every error names its field. */
export function readPopulationMapping(
  document: unknown,
  populations: ReadonlySet<string>,
): { ok: true; mapping: PopulationMapping } | { ok: false; errors: FieldError[] } {
  const reader = new InputReader();
  const root = reader.record(document, '', MAPPING_FIELDS);
  const rules: MappingRule[] = [];
  let serviceAccountPattern: RegExp | null = null;
  let serviceAccountGroup: string | null = null;
  if (root !== undefined) {
    (reader.array(root.populations, 'populations') ?? []).forEach((entry, index) => {
      const path = indexPath('populations', index);
      const rule = reader.record(entry, path, RULE_FIELDS);
      if (rule === undefined) {
        return;
      }
      const population = reader.string(rule.population, joinPath(path, 'population'));
      if (population !== undefined && !populations.has(population)) {
        reader.fail(joinPath(path, 'population'), `'${population}' is not a population of any policy`);
      }
      const ways = ['domain', 'group', 'attribute'].filter((key) => rule[key] !== undefined);
      if (ways.length !== 1) {
        reader.fail(path, 'must give exactly one of domain, group, attribute');
        return;
      }
      if (population === undefined) {
        return;
      }
      if (rule.domain !== undefined) {
        const domain = reader.nonEmptyString(rule.domain, joinPath(path, 'domain'));
        if (domain !== undefined) {
          rules.push({ population, domain: domain.toLowerCase() });
        }
      } else if (rule.group !== undefined) {
        const group = reader.nonEmptyString(rule.group, joinPath(path, 'group'));
        if (group !== undefined) {
          rules.push({ population, group });
        }
      } else {
        const attribute = reader.record(rule.attribute, joinPath(path, 'attribute'), ['column', 'equals']);
        const column = reader.nonEmptyString(attribute?.column, joinPath(path, 'attribute.column'));
        const equals = reader.string(attribute?.equals, joinPath(path, 'attribute.equals'));
        if (column !== undefined && equals !== undefined) {
          rules.push({ population, attribute: { column, equals } });
        }
      }
    });
    if (root.serviceAccounts !== undefined) {
      const accounts = reader.record(root.serviceAccounts, 'serviceAccounts', ['pattern', 'group']);
      if (accounts?.pattern !== undefined) {
        const pattern = reader.nonEmptyString(accounts.pattern, 'serviceAccounts.pattern');
        try {
          serviceAccountPattern = pattern === undefined ? null : new RegExp(pattern, 'i');
        } catch {
          reader.fail('serviceAccounts.pattern', 'must be a regular expression');
        }
      }
      if (accounts?.group !== undefined) {
        serviceAccountGroup = reader.nonEmptyString(accounts.group, 'serviceAccounts.group') ?? null;
      }
    }
  }
  return reader.errors.length > 0
    ? { ok: false, errors: reader.errors }
    : { ok: true, mapping: { rules, serviceAccountPattern, serviceAccountGroup } };
}
