import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** One clock for the whole app; tests override the `Clock` provider to move time. */
@Global()
@Module({ providers: [{ provide: Clock, useClass: SystemClock }], exports: [Clock] })
export class ClockModule {}
