/**
 * A fake of one of our own ports for a unit test: the members the test gives, and any other member
 * it uses throws, naming the port and the member. `{} as X` fails later, as "undefined is not a
 * function", far from the cause.
 */
export function fakeOf<T extends object>(name: string, members: Partial<Record<keyof T, unknown>> = {}): T {
  return new Proxy(members, {
    get(target, property, receiver) {
      if (property in target || typeof property === 'symbol' || property === 'then') {
        return Reflect.get(target, property, receiver) as unknown;
      }
      throw new Error(`${name}.${property} used, but the test gave no fake for it`);
    },
  }) as T;
}
