/** The PostgreSQL server the tests use; its database name is replaced per suite. */
const base = (): URL =>
  new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

export const adminDatabaseUrl = (): string => base().toString();

export const databaseUrl = (name: string): string => {
  const url = base();
  url.pathname = `/${name}`;
  return url.toString();
};
