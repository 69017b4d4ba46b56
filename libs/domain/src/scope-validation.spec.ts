import { validateRevisionPlan } from './revision-validation';
import { errorsOf, validationContext, withPhase } from './testing/plan-inputs';

const withScope = (scope: unknown) => withPhase({ scope });

describe(validateRevisionPlan.name + ' (scope)', () => {
  it.each([
    ['phases[0].scope', undefined],
    ['phases[0].scope', ['utas']],
    ['phases[0].scope', {}],
    ['phases[0].scope', { except: ['utas'] }],
    ['phases[0].scope', { services: ['utas'], selector: { mfaCapability: 'ready' } }],
    ['phases[0].scope.tags', { services: ['utas'], tags: ['x'] }],
    ['phases[0].scope.services', { services: 'utas' }],
    ['phases[0].scope.services', { services: [] }],
    ['phases[0].scope.services[1]', { services: ['utas', 'unknown-system'] }],
    ['phases[0].scope.services[1]', { services: ['utas', 'utas'] }],
    ['phases[0].scope.services[0]', { services: [7] }],
    ['phases[0].scope.except', { services: ['utas'], except: 'utol' }],
    ['phases[0].scope.except[0]', { selector: { mfaCapability: 'ready' }, except: ['nope'] }],
    ['phases[0].scope.selector', { selector: {} }],
    ['phases[0].scope.selector', { selector: 'ready' }],
    ['phases[0].scope.selector.mfaCapability', { selector: { mfaCapability: 'yes' } }],
    ['phases[0].scope.selector.tags', { selector: { tags: [] } }],
    ['phases[0].scope.selector.tags', { selector: { tags: 'email' } }],
    ['phases[0].scope.selector.tags[1]', { selector: { tags: ['email', ''] } }],
    ['phases[0].scope.selector.tags[1]', { selector: { tags: ['email', 'email'] } }],
    ['phases[0].scope.selector.owner', { selector: { tags: ['email'], owner: 'x' } }],
    ['phases[0].scope.populations', { services: ['utas'], populations: [] }],
    ['phases[0].scope.populations[0]', { services: ['utas'], populations: ['alumni'] }],
    ['phases[0].scope.all', { all: false }],
    ['phases[0].scope.all', { all: 'yes' }],
    ['phases[0].scope', { all: true, services: ['utas'] }],
    ['phases[0].scope', { all: true, selector: { mfaCapability: 'ready' } }],
    ['phases[0].scope.except[0]', { all: true, except: ['nope'] }],
  ])('reports %s', (field, scope) => {
    expect(errorsOf(withScope(scope))).toEqual([{ field, message: expect.any(String) }]);
  });

  it('accepts every service (all), minus exceptions, for some populations', () => {
    const scope = { all: true, except: ['utas', 'utol'], populations: ['students'] };
    expect(validateRevisionPlan(withScope(scope), validationContext)).toMatchObject({
      ok: true,
      plan: { phases: [{ scope }] },
    });
  });

  it('names the unknown service in the message', () => {
    expect(errorsOf(withScope({ services: ['ghost'] }))[0].message).toContain("'ghost'");
  });

  it('accepts a selector with capability and tags, except and populations', () => {
    const scope = {
      selector: { mfaCapability: 'ready', tags: ['email', 'cloud'] },
      except: ['utas', 'utol'],
      populations: ['students'],
    };
    const sut = validateRevisionPlan(withScope(scope), validationContext);
    expect(sut.ok && sut.plan.phases[0].scope).toEqual(scope);
  });
});
