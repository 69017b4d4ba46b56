import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Role } from '@stepwise/common/principal';

/** One line of config/access.yaml: a claim value (exact or by pattern) and the role it gives. */
export interface AccessRule {
  equals?: string;
  pattern?: RegExp;
  role: Exclude<Role, 'connector'>;
}

export interface AccessMap {
  claim: string;
  rules: AccessRule[];
}

export type Access = { role: Role; services: string[] | null } | null;

const PERSON_ROLES = ['admin', 'planner', 'auditor', 'service-owner'] as const;

export class AccessMapError extends Error {
  override name = 'AccessMapError';
}

/** Reads and checks the mapping; a bad file stops start-up with a message naming the line. */
export function parseAccessMap(text: string, source = 'config/access.yaml'): AccessMap {
  const raw = parse(text) as unknown;
  const fail = (what: string): never => {
    throw new AccessMapError(`${source}: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null) {
    return fail('expected a mapping with `claim` and `rules`');
  }
  const { claim, rules } = raw as Record<string, unknown>;
  if (typeof claim !== 'string' || claim === '') {
    fail('`claim` must name an ID-token claim');
  }
  if (!Array.isArray(rules)) {
    return fail('`rules` must be a list');
  }
  return {
    claim: claim as string,
    rules: rules.map((rule: unknown, index): AccessRule => {
      const at = `rules[${index}]`;
      if (typeof rule !== 'object' || rule === null) {
        return fail(`${at} must be a mapping`);
      }
      const { equals, pattern, role } = rule as Record<string, unknown>;
      if (!PERSON_ROLES.includes(role as (typeof PERSON_ROLES)[number])) {
        fail(`${at}.role must be one of ${PERSON_ROLES.join(', ')}`);
      }
      if ((equals === undefined) === (pattern === undefined)) {
        fail(`${at} needs exactly one of equals, pattern`);
      }
      if (equals !== undefined && typeof equals !== 'string') {
        fail(`${at}.equals must be a string`);
      }
      let compiled: RegExp | undefined;
      if (pattern !== undefined) {
        if (typeof pattern !== 'string') {
          return fail(`${at}.pattern must be a string`);
        }
        try {
          compiled = new RegExp(pattern);
        } catch {
          return fail(`${at}.pattern is not a regular expression`);
        }
        if (role === 'service-owner' && !pattern.includes('(?<service>')) {
          fail(`${at}.pattern must capture the service id as (?<service>…)`);
        }
      }
      return { equals: equals as string | undefined, pattern: compiled, role: role as AccessRule['role'] };
    }),
  };
}

export const loadAccessMap = (file: string): AccessMap => parseAccessMap(readFileSync(file, 'utf8'), file);

/**
 * The role a person's claims give: the first matching rule with a role other than service-owner,
 * else service-owner of every service the matching owner rules name; null (no access) otherwise.
 */
export function accessFor(map: AccessMap, claims: Record<string, unknown>): Access {
  const value = claims[map.claim];
  const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  const owned = new Set<string>();
  for (const rule of map.rules) {
    for (const candidate of values) {
      const match =
        rule.equals !== undefined
          ? candidate === rule.equals
            ? ({} as RegExpExecArray)
            : null
          : (rule.pattern?.exec(candidate) ?? null);
      if (match === null) {
        continue;
      }
      if (rule.role !== 'service-owner') {
        return { role: rule.role, services: null };
      }
      const service = match.groups?.service;
      if (service !== undefined) {
        owned.add(service);
      }
    }
  }
  return owned.size > 0 ? { role: 'service-owner', services: [...owned].sort() } : null;
}
