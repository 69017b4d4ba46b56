import type { Clock } from '@stepwise/common/clock';

const LEVELS = { debug: 20, info: 30, warn: 40, error: 50 } as const;
export type LogLevel = keyof typeof LEVELS;

/** One JSON object per line on stdout, as the API and worker log (pino's shape, without pino). */
export class AgentLog {
  constructor(
    private readonly clock: Clock,
    private readonly threshold: LogLevel,
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields: Record<string, unknown> = {}): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields: Record<string, unknown> = {}): void {
    this.log('error', message, fields);
  }

  private log(level: LogLevel, msg: string, fields: Record<string, unknown>): void {
    if (LEVELS[level] < LEVELS[this.threshold]) {
      return;
    }
    this.write(
      `${JSON.stringify({ level: LEVELS[level], time: this.clock.nowMs(), name: 'stepwise-agent', msg, ...fields })}\n`,
    );
  }
}
