import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnvironment } from './environment.schema';

/** Validated configuration from the environment, global to the app. */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      cache: true,
      validate: (raw) => validateEnvironment(raw),
    }),
  ],
})
export class StepwiseConfigModule {}
