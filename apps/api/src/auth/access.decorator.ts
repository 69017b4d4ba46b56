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
