// @ts-check
/**
 * The direction of dependencies (STYLE.md "Shape"): the pure domain at the bottom, the
 * infrastructure libraries on it, the apps on top; no cycles; no app imports another; and nothing
 * the production image runs needs a devDependency. `npm run depcruise` checks it in .ci/run, on
 * resolved paths, so it also catches what ESLint's no-restricted-imports (which reads only the
 * import string) cannot: dynamic imports, and cycles through many files.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means a boundary is wrong (STYLE.md: no forwardRef).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'libs/domain imports no other library, no app, and no Nest, TypeORM, BullMQ, ioredis or pg.',
      from: { path: '^libs/domain/' },
      to: {
        path: ['^libs/(?!domain/)', '^apps/', 'node_modules/(@nestjs/|typeorm/|bullmq/|ioredis/|pg/)'],
      },
    },
    {
      name: 'no-library-imports-an-app',
      severity: 'error',
      comment: 'Libraries serve the apps; an app is never imported.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-app-imports-another-app',
      severity: 'error',
      comment: 'Each app stands alone; what two apps share belongs in a library.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-migration-imports-an-app',
      severity: 'error',
      comment: 'Migrations run from the CLI and the API alike; they use libraries only.',
      from: { path: '^migrations/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-dev-dependency-at-run-time',
      severity: 'error',
      comment:
        'The image installs production dependencies only (npm ci --omit=dev): code it runs must not load a devDependency.',
      // Browser apps are bundled at build time: their packages never reach the server image.
      from: {
        path: '^(apps|libs|migrations)/',
        pathNot: ['\\.spec\\.tsx?$', '/testing/', '^apps/console/'],
      },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-undeclared-package',
      severity: 'error',
      comment: 'A package used but not in package.json is there only by chance of hoisting.',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.json'],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
