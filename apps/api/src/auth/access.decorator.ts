import { SetMetadata } from '@nestjs/common';
import type { Role } from '@stepwise/common/principal';

export const ACCESS_KEY = 'stepwise:access';
export const PUBLIC_KEY = 'stepwise:public';

/**
 * The roles allowed to call a route. Every route under /api/v1 must say it: the guard refuses
 * a route that does not (fail closed), and the role × route matrix test reads the same list.
 */
export const Access = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_KEY, roles);

/** Routes outside the API (health, docs) that need no token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export const CALENDAR_FEED_KEY = 'stepwise:calendar-feed';

/**
 * The route also takes a calendar feed key (`?feed=`) in place of the bearer token: the key
 * stands for its token, with the token's role and services (see CalendarFeedKeys).
 */
export const CalendarFeed = (): MethodDecorator => SetMetadata(CALENDAR_FEED_KEY, true);
