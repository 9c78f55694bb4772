// Lint rules: type-aware TypeScript checks everywhere, Temporal's determinism rules for workflow code, and
// the boundaries between folders (README: Architecture). `npm run lint`; part of `npm test`.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// As in Temporal's TypeScript samples: workflow code runs in a deterministic sandbox, where Node's built-ins
// are missing or non-deterministic (`assert` is the one the sandbox provides).
const NODE_BUILTINS = builtinModules.filter((m) => m !== 'assert').flatMap((m) => [m, `node:${m}`]);

/** An import path (relative or a package) that reaches into one of these top-level folders. */
const folder = (...names) => `^(\\.\\.?/)*(\\.\\./)?(${names.join('|')})(/|$)`;
const anyDepth = (...names) => `^(\\.\\./)+(${names.join('|')})(/|$)`;

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'generated/',
      'data/',
      'dist/',
      'console/dist/',
      'coverage/',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      // A promise nobody awaits hides its failure: an order step that silently did not happen.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'object-shorthand': ['error', 'always'],
    },
  },
  {
    files: ['workflows/**/*.ts', 'test/support/workflows/**/*.ts', 'bench/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins.' })),
          patterns: [
            {
              regex: anyDepth('activities'),
              allowTypeImports: true,
              message: 'Workflows call activities through proxyActivities; import their types only.',
            },
            {
              regex: `${anyDepth('db', 'inventory', 'orders', 'api', 'access', 'carriers', 'payments', 'lib')}|^@prisma/|^@temporalio/(client|worker|activity)$`,
              allowTypeImports: true,
              message: 'Workflows do no I/O: database, stock and the outside world are reached through activities.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `${anyDepth('db', 'api', 'activities', 'workflows', 'inventory', 'orders', 'generated')}|^@prisma/|^@temporalio/`,
              message: 'domain/ holds plain business rules: no database, API, activities or workflows.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: globals.jest },
  },
  {
    // The staff console runs in the browser; it has its own tsconfig (console/tsconfig.json, found by projectService).
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    languageOptions: { globals: globals.browser },
  },
  prettier,
);
