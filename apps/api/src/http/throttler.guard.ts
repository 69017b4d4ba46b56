import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/** Throttles per bearer token when there is one (many clients share NAT addresses), else per address. */
@Injectable()
export class StepwiseThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const headers = req.headers as Record<string, string | undefined>;
    const auth = headers.authorization;
    if (auth) return Promise.resolve(`token:${createHash('sha256').update(auth).digest('hex')}`);
    return Promise.resolve(`ip:${String(req.ip)}`);
  }
}
