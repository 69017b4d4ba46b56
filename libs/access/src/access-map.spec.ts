import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessMapError, accessFor, parseAccessMap } from './access-map';

describe(accessFor.name, () => {
  const shipped = parseAccessMap(readFileSync(join(__dirname, '../../../config/access.yaml'), 'utf8'));

  it('maps the shipped groups to roles, first non-owner rule first', () => {
    expect(accessFor(shipped, { groups: ['cio-office'] })).toEqual({ role: 'planner', services: null });
    expect(accessFor(shipped, { groups: ['audit-office', 'cio-office'] })).toEqual({
      role: 'planner',
      services: null,
    });
    expect(accessFor(shipped, { groups: 'stepwise-admins' })).toEqual({ role: 'admin', services: null });
  });

  it('adds up the services a person owns', () => {
    expect(accessFor(shipped, { groups: ['service-owner:utol', 'service-owner:utas', 'staff'] })).toEqual({
      role: 'service-owner',
      services: ['utas', 'utol'],
    });
  });

  it('gives no access when nothing matches (default deny)', () => {
    expect(accessFor(shipped, { groups: ['students'] })).toBeNull();
    expect(accessFor(shipped, {})).toBeNull();
    expect(accessFor(shipped, { groups: ['service-owner:Not_A_Slug'] })).toBeNull();
    expect(accessFor(shipped, { groups: [{ nested: 'cio-office' }] })).toBeNull();
  });
});

describe(parseAccessMap.name, () => {
  it.each([
    ['rules: []', '`claim`'],
    ['claim: groups\nrules: [{ equals: x, role: root }]', 'rules[0].role'],
    ['claim: groups\nrules: [{ role: planner }]', 'exactly one of equals, pattern'],
    ["claim: groups\nrules: [{ pattern: '(', role: planner }]", 'not a regular expression'],
    ["claim: groups\nrules: [{ pattern: '^owner:(.+)$', role: service-owner }]", '(?<service>'],
  ])('refuses %j naming the problem', (text, named) => {
    expect(() => parseAccessMap(text)).toThrow(AccessMapError);
    expect(() => parseAccessMap(text)).toThrow(named);
  });
});
