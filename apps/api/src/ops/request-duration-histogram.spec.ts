import { Histogram, Registry } from 'prom-client';
import { RequestDurationHistogram } from './request-duration-histogram';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025];
const OBSERVED: [string, string, number, number][] = [
  ['GET', '/api/v1/services/:id/rules', 200, 0.0004],
  ['GET', '/api/v1/services/:id/rules', 200, 0.001],
  ['GET', '/api/v1/services/:id/rules', 304, 0.003],
  ['GET', '/api/v1/services/:id/requirements', 200, 0.02],
  ['POST', '/api/v1/tokens', 201, 7],
  ['GET', '/api/v1/services/:id/rules', 200, 0.0011],
];

describe(RequestDurationHistogram.name, () => {
  it('prints what prom-client prints for the same observations', async () => {
    const reference = new Registry();
    const histogram = new Histogram({
      name: 'stepwise_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: BUCKETS,
      registers: [reference],
    });
    const registry = new Registry();
    const sut = new RequestDurationHistogram(
      'stepwise_http_request_duration_seconds',
      'HTTP request duration by route and status',
      BUCKETS,
    );
    registry.registerMetric(sut as never);
    for (const [method, route, status, seconds] of OBSERVED) {
      histogram.observe({ method, route, status: String(status) }, seconds);
      sut.observe(method, route, status, seconds);
    }
    expect(await registry.metrics()).toBe(await reference.metrics());
    // The JSON form too, but for prom-client's empty exemplars (this histogram keeps none).
    const withoutExemplars = (await reference.getMetricsAsJSON()).map((metric) => ({
      ...metric,
      values: metric.values.map((value) => {
        const { exemplar: _none, ...rest } = value as typeof value & { exemplar?: unknown };
        return rest;
      }),
    }));
    expect(await registry.getMetricsAsJSON()).toEqual(withoutExemplars);
  });

  it('counts an observation on a bound in that bucket, and one above all in +Inf only', async () => {
    const sut = new RequestDurationHistogram('d', 'd', [0.1, 1]);
    sut.observe('GET', '/x', 200, 0.1);
    sut.observe('GET', '/x', 200, 5);
    const { values } = await sut.get();
    expect(values.map((v) => [v.metricName, v.labels.le, v.value])).toEqual([
      ['d_bucket', 0.1, 1],
      ['d_bucket', 1, 1],
      ['d_bucket', '+Inf', 2],
      ['d_sum', undefined, 5.1],
      ['d_count', undefined, 2],
    ]);
  });
});
