// Two projects: unit specs beside the code, e2e/integration suites in test/ against real
// PostgreSQL and Redis. swc compiles TypeScript (type checking is `npm run typecheck`).
const fs = require('node:fs');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcrc.$schema;
const transform = {
  '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }],
  // ESM-only dependencies that Node 20 loads through require(esm) but Jest does not, and
  // @fastify/cookie, which imports its ESM-only `cookie` 2 with import() (Jest needs a flag for that).
  '^.+/node_modules/(content-disposition|openid-client|oauth4webapi|jose|@fastify/cookie|@fastify/cookie/node_modules/cookie)/.+\\.js$':
    ['@swc/jest', { module: { type: 'commonjs' }, swcrc: false }],
};
const transformIgnorePatterns = [
  '/node_modules/(?!(content-disposition|openid-client|oauth4webapi|jose|@fastify/cookie|cookie)/)',
];
const moduleNameMapper = {
  // The connector kit is a package of its own (packages/connector), imported by its name.
  '^@stepwise/connector$': '<rootDir>/packages/connector/src/index.ts',
  '^@stepwise/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};

module.exports = {
  // A global option: Jest ignores it inside `projects`.
  testTimeout: 60000,
  // A handle a suite forgets (a child process, a timer) must never hang CI; `--detectOpenHandles`
  // finds it when Jest reports that it had to force the exit.
  forceExit: true,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/packages'],
      testMatch: ['**/*.spec.ts'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
