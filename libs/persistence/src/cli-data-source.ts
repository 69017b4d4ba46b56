import { DataSource } from 'typeorm';
import { validateEnvironment } from '@stepwise/config/environment.schema';
import { dataSourceOptions } from './data-source-options';

/** Entry point for the TypeORM CLI (`npm run migration:*`), built from the same typed config. */
export default new DataSource(dataSourceOptions(validateEnvironment(process.env).DATABASE_URL, 2));
