/** Every API route's prefix (health and docs are outside it). */
export const API_PREFIX = 'api/v1';
