import type { ClientBase, Pool, QueryResultRow } from 'pg';
import type { EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A statement run many times a second with different parameters. PostgreSQL parses and plans it
 * once per connection instead of on every call: for the delivery ledger's claim, planning cost
 * more than running it (measured; figures in docs/benchmarks.md).
 * `name` must be unique per text in the process; the database forgets it with the connection.
 * These run on the pg client itself, so TypeORM's query logger does not see them.
 */
export interface PreparedStatement {
  name: string;
  text: string;
}

/**
 * Runs `statement` on the manager's connection: the transaction's own connection inside
 * `dataSource.transaction` (so it sees and joins that transaction), else any pooled one.
 * Returns the rows and, for an UPDATE or DELETE, how many rows it changed.
 */
export async function runPrepared<Row extends QueryResultRow>(
  manager: EntityManager,
  statement: PreparedStatement,
  values: readonly unknown[],
): Promise<{ rows: Row[]; rowCount: number }> {
  const config = { name: statement.name, text: statement.text, values: [...values] };
  const runner = manager.queryRunner;
  const result =
    runner !== undefined && !runner.isReleased
      ? await ((await runner.connect()) as ClientBase).query<Row>(config)
      : await ((manager.connection.driver as PostgresDriver).master as Pool).query<Row>(config);
  return { rows: result.rows, rowCount: result.rowCount ?? 0 };
}
