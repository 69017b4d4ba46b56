import { startMfaProvider, type MfaProviderOptions } from './mfa-identity-provider';

// oidc-provider is ESM-only, which Jest's CommonJS runtime cannot load: suites start the provider
// as its own process (`node dist/test/support/mfa-identity-provider.main.js '<options JSON>'`).
void startMfaProvider(JSON.parse(process.argv[2]) as MfaProviderOptions).then((provider) => {
  process.stdout.write(`mfa provider listening at ${provider.issuer}\n`);
});
