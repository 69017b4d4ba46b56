// @ts-check
import { readdirSync } from 'node:fs';
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** The packages of the tree, read from disk so that a new app or library is covered the day it lands. */
const packagesIn = (folder) =>
  readdirSync(new URL(folder, import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
const APPS = packagesIn('./apps/');
const LIBS = packagesIn('./libs/');

/** Apps that run in a browser: no Nest, no server-side drivers, and libraries for their types only. */
const BROWSER_APPS = new Set(['console']);

/** What the pure domain and browser code must never load. */
const SERVER_PACKAGES = {
  group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'bullmq', 'bullmq/*', 'ioredis', 'pg', 'pg/*'],
  message:
    'Nest, TypeORM, BullMQ, ioredis and pg belong to the infrastructure libraries and the server apps.',
};

/**
 * Imports that cross a package boundary the wrong way, whatever package the file is in. An app is
 * never imported (there is no alias for one); a library is imported through its `@stepwise/<lib>`
 * alias, never by a relative path that climbs out of the importing package or by a root path.
 */
const boundaryPatterns = (name) => [
  {
    regex: `^(\\.\\./)+(?!${name}/)[^./][^/]*/src(/|$)|^(\\.\\./)+(apps|libs)/`,
    message:
      'A relative import must stay inside its own app or library: import a library through @stepwise/<lib>, and never import an app.',
  },
  {
    regex: '^/?(apps|libs)/',
    message: 'Import a library through @stepwise/<lib>; an app is never imported.',
  },
];

const restrictedImports = (patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
});

/** One config object per package, so that no later object replaces another's list of restrictions. */
const packageBoundaries = [
  ...APPS.map((app) => ({
    files: [`apps/${app}/**`],
    rules: restrictedImports([
      ...boundaryPatterns(app),
      ...(BROWSER_APPS.has(app)
        ? [
            SERVER_PACKAGES,
            {
              regex: '^@stepwise/(?!domain/)',
              allowTypeImports: true,
              message:
                'Browser code takes only types from the server libraries (they load Nest and drivers).',
            },
          ]
        : []),
    ]),
  })),
  ...LIBS.map((lib) => ({
    files: [`libs/${lib}/**`],
    rules: restrictedImports([
      ...boundaryPatterns(lib),
      ...(lib === 'domain'
        ? [
            SERVER_PACKAGES,
            {
              regex: '^@stepwise/(?!domain/)',
              message:
                'The domain is pure: it imports no other @stepwise library (they depend on it, not it on them).',
            },
          ]
        : []),
    ]),
  })),
];

/**
 * "Now" comes from the injected Clock (libs/common/src/clock.ts) so tests and the demo can move
 * time; a duration is measured with performance.now(), which never jumps with the wall clock.
 */
const WALL_CLOCK_READS = [
  ['MemberExpression[object.name="Date"][property.name="now"]', 'Date.now()'],
  ['NewExpression[callee.name="Date"][arguments.length=0]', 'new Date() without arguments'],
  ['CallExpression[callee.name="Date"]', 'Date() called as a function'],
  [
    'CallExpression[callee.object.name="DateTime"][callee.property.name=/^(now|local|utc)$/][arguments.length=0]',
    'DateTime.now()/local()/utc() without arguments',
  ],
].map(([selector, what]) => ({
  selector,
  message: `${what} reads the wall clock: inject Clock (@stepwise/common/clock) for "now", or use performance.now() for a duration.`,
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '*.js',
      '*.mjs',
      '*.cjs',
      'scripts/**',
      'docker/**',
      'packages/*/dist/**',
      'packages/*/*.js',
      'bin/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The rules STYLE.md names.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
      // Every block braced: a second statement added under an unbraced `if` runs unconditionally.
      curly: ['error', 'all'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  ...packageBoundaries,
  {
    files: ['libs/domain/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['apps/**', 'libs/**'],
    ignores: ['**/*.spec.ts', '**/*.spec.tsx', 'libs/common/src/clock.ts'],
    rules: { 'no-restricted-syntax': ['error', ...WALL_CLOCK_READS] },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
