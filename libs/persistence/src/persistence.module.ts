import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { dataSourceOptions } from './data-source-options';

/** TypeORM for Nest apps, from the one DataSource definition. Never synchronizes. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
        ...dataSourceOptions(config.get('DATABASE_URL', { infer: true })),
        retryAttempts: 3,
        retryDelay: 500,
      }),
    }),
  ],
})
export class PersistenceModule {}
