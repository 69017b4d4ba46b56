import { fakeOf } from './fake-of';

interface Port {
  read(): number;
  write(value: number): void;
}

describe(fakeOf.name, () => {
  it('answers with the members given', () => {
    expect(fakeOf<Port>('Port', { read: () => 7 }).read()).toBe(7);
  });

  it('names the port and the member a test used without giving it', () => {
    const port = fakeOf<Port>('Port');
    expect(() => port.write(1)).toThrow('Port.write used, but the test gave no fake for it');
  });

  it('is not mistaken for a promise when awaited', async () => {
    const port = fakeOf<Port>('Port', { read: () => 1 });
    await expect(Promise.resolve(port)).resolves.toBe(port);
  });
});
