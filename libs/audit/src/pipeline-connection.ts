import { Client, type ClientConfig } from 'pg';
import { copyIn } from './audit-copy';
import { Backend, backendOf } from './was-stored';

/** `application_name` of the appender's own two connections. */
export const PIPELINE_APPLICATION_NAME = 'stepwise-audit-pipeline';

/**
 * A connection of its own in node-postgres' pipeline mode: messages are written as they are
 * given, answered in order. Closed when idle for a while (or broken), opened again when needed.
 */
export class PipelineConnection {
  broken = false;
  /** The groups' connection's backend, once connected (see wasStored). */
  backend: Backend | null = null;
  private readonly client: Client;
  private readonly clockClient: Client;
  private readonly connected: Promise<void>;
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    options: ClientConfig,
    private readonly idleMs: number,
    private readonly onClosed: () => void,
  ) {
    // Named apart from the pool's, so that an operator sees what they are.
    const own = { ...options, pipeline: true, application_name: PIPELINE_APPLICATION_NAME };
    this.client = new Client(own);
    this.clockClient = new Client(own);
    for (const client of [this.client, this.clockClient]) {
      // Its queries fail with the error anyway; an 'error' event nobody listens to ends the process.
      client.on('error', () => this.breakDown());
      client.on('end', () => this.breakDown());
    }
    this.connected = Promise.all([this.client.connect(), this.clockClient.connect()]).then(() => {
      this.backend = backendOf(this.client);
    });
  }

  /** The database's clock, as a group's events get it. */
  clock(): Promise<Date> {
    return this.busy(async () => {
      const { rows } = await this.clockClient.query<{ now: Date }>('SELECT clock_timestamp() AS now');
      return rows[0].now;
    });
  }

  copy(sql: string, chunks: Iterable<Buffer>): Promise<void> {
    return this.busy(() => copyIn(this.client, sql, chunks));
  }

  /** Runs `work` once connected, and closes the connections when none has run for a while. */
  private async busy<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    if (this.idleTimer !== null) {
      clearTimeout(this.idleTimer);
    }
    try {
      await this.connected;
      return await work();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0 && !this.broken) {
        this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
        this.idleTimer.unref();
      }
    }
  }

  /** Ends the failed transaction, behind every message sent so far (which fail with it). */
  rollBack(): void {
    if (!this.broken) {
      this.client.query('ROLLBACK').catch(() => this.breakDown());
    }
  }

  async close(): Promise<void> {
    this.breakDown();
    await this.connected.catch(() => undefined);
    await Promise.all(
      [this.client.end(), this.clockClient.end()].map((ended) => ended.catch(() => undefined)),
    );
  }

  private breakDown(): void {
    if (this.broken) {
      return;
    }
    this.broken = true;
    if (this.idleTimer !== null) {
      clearTimeout(this.idleTimer);
    }
    this.onClosed();
  }
}
