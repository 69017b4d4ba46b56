import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** One autocannon run on loopback, bounded in time. `rate` caps the overall requests per second. */
export async function load(options: {
  url: string;
  headers?: Record<string, string>;
  seconds: number;
  connections: number;
  rate?: number;
  expectStatus?: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    headers: options.headers,
    duration: options.seconds,
    connections: options.connections,
    overallRate: options.rate,
    expectBody: undefined,
  });
  const expected = options.expectStatus ?? 200;
  const counted = expected === 304 ? result['3xx'] : result['2xx'];
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.requests.total - counted,
    errors: result.errors + result.timeouts,
  };
}

export const ratio = (ours: number, peer: number): string => (peer === 0 ? 'n/a' : (ours / peer).toFixed(2));
