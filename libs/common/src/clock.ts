import { DateTime } from 'luxon';

/** Where "now" comes from; injected wherever it matters so tests and the demo can move time. */
export abstract class Clock {
  abstract now(): DateTime;

  /** Epoch milliseconds; hot paths use it to skip building a DateTime. */
  nowMs(): number {
    return this.now().toMillis();
  }
}

export class SystemClock extends Clock {
  now(): DateTime {
    return DateTime.utc();
  }

  override nowMs(): number {
    return Date.now();
  }
}

/** A clock tests set by hand. */
export class FixedClock extends Clock {
  constructor(private current: DateTime) {
    super();
  }

  now(): DateTime {
    return this.current;
  }

  set(at: DateTime): void {
    this.current = at;
  }
}
