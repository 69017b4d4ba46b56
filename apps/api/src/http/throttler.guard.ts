import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { Authenticator } from '@stepwise/access/authenticator';
import { bearerTokenOf } from '../auth/bearer';

/**
 * Throttles per token when the request carries a valid one (many clients share NAT addresses),
 * else per address: a caller inventing a new token for every request is counted by its address,
 * not once per invented token. The lookup is the one the auth guard makes next (cached).
 */
@Injectable()
export class StepwiseThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const headers = req.headers as Record<string, string | undefined>;
    const token = bearerTokenOf(headers.authorization);
    const principal = token === null ? null : await this.authenticator.authenticate(token);
    return principal === null ? `ip:${String(req.ip)}` : `token:${principal.id}`;
  }
}
