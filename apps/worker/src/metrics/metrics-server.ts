import { createServer, Server } from 'node:http';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { METRICS_REFUSED, metricsReaders } from '@stepwise/common/metrics-readers';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { WorkerMetrics } from './worker-metrics';

/**
 * Serves the worker's metrics at `/metrics` on STEPWISE_WORKER_METRICS_HOST (loopback unless
 * widened) and STEPWISE_WORKER_METRICS_PORT (0: off), to loopback and STEPWISE_METRICS_ALLOW only.
 * A port already taken (a second worker on the host) costs the metrics, not the worker. Plain
 * node:http: the worker has no HTTP framework, and a scrape endpoint needs none.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server: Server | null = null;

  constructor(
    private readonly metrics: WorkerMetrics,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.get('STEPWISE_WORKER_METRICS_PORT', { infer: true });
    if (port === 0) {
      return;
    }
    const host = this.config.get('STEPWISE_WORKER_METRICS_HOST', { infer: true });
    const readers = metricsReaders(this.config.get('STEPWISE_METRICS_ALLOW', { infer: true }));
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      if (!readers.contains(request.socket.remoteAddress ?? '')) {
        response.writeHead(403, { 'content-type': 'text/plain' }).end(`${METRICS_REFUSED}\n`);
        return;
      }
      this.metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text),
        (error: unknown) =>
          response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
      );
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        throw error;
      }
      this.logger.warn(
        `port ${port} is in use (another worker on this host?): running without metrics; ` +
          'set STEPWISE_WORKER_METRICS_PORT to a free port for each worker, or 0 to turn them off',
      );
      return;
    }
    this.server = server;
    this.logger.log(`worker metrics at http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
