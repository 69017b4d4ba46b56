// The package's entry point (the one barrel of the kit: what a user of `@stepwise/connector` imports).
export * from './rules-document';
export * from './webhook-verify';
export * from './backoff';
export * from './applied-state';
export * from './rules-client';
export * from './http-call';
