import { databaseEndpoint, isDatabaseDown } from './database-down';

const database = databaseEndpoint('postgres://stepwise@db.internal:6543/stepwise');

/** The shape node gives a failed connect. */
const socketError = (code: string, port: number) =>
  Object.assign(new Error(`connect ${code} 10.0.0.5:${port}`), {
    code,
    errno: -111,
    syscall: 'connect',
    port,
  });

describe(isDatabaseDown.name, () => {
  it('reads the port from DATABASE_URL, 5432 when it names none', () => {
    expect(database).toEqual({ port: 6543 });
    expect(databaseEndpoint('postgres://u@localhost/db').port).toBe(5432);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'])(
    'takes %s on the database port for the database being down, and on another port not',
    (code) => {
      expect(isDatabaseDown(socketError(code, 6543), database)).toBe(true);
      // Redis, say: not ours to name.
      expect(isDatabaseDown(socketError(code, 6379), database)).toBe(false);
    },
  );

  it.each([
    ['admin shutdown', '57P01'],
    ['crash shutdown', '57P02'],
    ['cannot connect now', '57P03'],
    ['connection failure', '08006'],
    ['too many connections', '53300'],
  ])('takes the server saying %s (%s) for it', (_label, code) => {
    expect(isDatabaseDown(Object.assign(new Error('server says no'), { code }), database)).toBe(true);
  });

  it('looks inside a TypeORM QueryFailedError at the driver error', () => {
    const driverError = new Error('Connection terminated unexpectedly');
    expect(isDatabaseDown(Object.assign(new Error('query failed'), { driverError }), database)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('does not take %s for it', (_label, error) => {
    expect(isDatabaseDown(error, database)).toBe(false);
  });
});
