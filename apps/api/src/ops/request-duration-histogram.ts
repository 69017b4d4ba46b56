type RequestLabels = { method: string; route: string; status: string };

interface Series {
  labels: RequestLabels;
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** A metric as prom-client's registry reads it (`registerMetric` takes any object of this shape). */
export interface ExportedMetric<Value> {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: Value[];
}

interface ValuePair {
  labels: Record<string, string | number>;
  sharedLabels: RequestLabels;
  value: number;
  metricName: string;
}

/**
 * The request-duration histogram, in the Prometheus text prom-client writes for a Histogram with
 * the same name, help, labels and buckets (the spec compares the two). prom-client's own
 * `observe` validates and hashes its labels on every call, a visible share of a hot read; here an
 * observation is a map lookup by one string and two additions.
 */
export class RequestDurationHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
  ) {}

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.series.get(key);
    if (series === undefined) {
      series = {
        labels: { method, route, status: String(status) },
        counts: new Float64Array(this.buckets.length + 1),
        sum: 0,
        count: 0,
      };
      this.series.set(key, series);
    }
    let bucket = 0;
    while (bucket < this.buckets.length && seconds > this.buckets[bucket]) {
      bucket += 1;
    }
    series.counts[bucket] += 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** What prom-client's registry prints (labels of a series as shared labels, `le` first). */
  getForPromString(): Promise<ExportedMetric<ValuePair>> {
    const values: ValuePair[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, index) => {
        cumulative += counts[index];
        values.push({
          labels: { le: bound },
          sharedLabels: labels,
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      });
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: labels, value: count, metricName: `${this.name}_bucket` },
        { labels: {}, sharedLabels: labels, value: sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: labels, value: count, metricName: `${this.name}_count` },
      );
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    });
  }

  /** The same, each value's labels in one object (prom-client's JSON form). */
  async get(): Promise<
    ExportedMetric<{ labels: Record<string, string | number>; value: number; metricName: string }>
  > {
    const metric = await this.getForPromString();
    const values = metric.values.map(({ labels, sharedLabels, value, metricName }) => ({
      labels: { ...labels, ...sharedLabels },
      value,
      metricName,
    }));
    return { ...metric, values };
  }

  reset(): void {
    this.series.clear();
  }
}
