import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { ConfigService } from '@nestjs/config';
import { METRICS_REFUSED, metricsReaders } from '@stepwise/common/metrics-readers';
import type { EnvironmentVariables } from '@stepwise/config/environment.schema';
import { QueueName } from '@stepwise/queue/queue-catalogue';
import { errorBody } from '../http/error-body';
import { RequestDurationHistogram } from './request-duration-histogram';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Records one answered request in the duration histogram (the hot-read front door calls it too). */
export type RequestObserver = (method: string, route: string, status: number, seconds: number) => void;

/**
 * Prometheus metrics of the API process at /metrics: request durations by route and status,
 * queue depths (read from Redis at scrape time), and Node's default process metrics; answered to
 * loopback and STEPWISE_METRICS_ALLOW only, 403 to anyone else. The worker serves its own
 * delivery and lateness metrics.
 */
export function mountApiMetrics(app: NestFastifyApplication): RequestObserver {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stepwise_api_' });
  const duration = new RequestDurationHistogram(
    'stepwise_http_request_duration_seconds',
    'HTTP request duration by route and status',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  registry.registerMetric(duration as never);
  const queues = Object.values(QueueName).map((name) => app.get<Queue>(getQueueToken(name)));
  new Gauge({
    name: 'stepwise_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...QUEUE_STATES).catch(() => null);
        if (!counts) {
          continue;
        }
        for (const state of QUEUE_STATES) {
          this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      }
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  const observe: RequestObserver = (method, route, status, seconds) =>
    duration.observe(method, route, status, seconds);
  fastify.addHook('onResponse', (request, reply, done) => {
    observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  const readers = metricsReaders(
    app
      .get<ConfigService<EnvironmentVariables, true>>(ConfigService)
      .get('STEPWISE_METRICS_ALLOW', { infer: true }),
  );
  fastify.get('/metrics', async (request, reply) => {
    if (!readers.contains(request.ip)) {
      await reply.status(403).send(errorBody(403, METRICS_REFUSED));
      return;
    }
    await reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
  return observe;
}
