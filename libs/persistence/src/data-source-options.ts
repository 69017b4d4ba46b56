import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';

/** The one DataSource definition, shared by Nest, the CLI, the TypeORM CLI and the tests. */
export function dataSourceOptions(databaseUrl: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    // Compiled migrations (dist/migrations); the TypeScript sources are compiled by `npm run build`.
    migrations: [join(__dirname, '../../../migrations/*.js')],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolSize, application_name: 'stepwise' },
  };
}
