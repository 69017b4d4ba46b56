import { AddressRanges } from './address-ranges';

/** Why a scrape from another address is refused, naming the setting that admits it. */
export const METRICS_REFUSED =
  'metrics are served to loopback and the addresses in STEPWISE_METRICS_ALLOW only';

/**
 * Who may read the API's and the worker's `/metrics`: loopback and STEPWISE_METRICS_ALLOW. The
 * metrics name routes, queues and load; the client is known by its socket address (no proxy
 * header is trusted).
 */
export const metricsReaders = (allow: string): AddressRanges => AddressRanges.loopbackAnd(allow);
