import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      'coverage/',
      'reports/',
      '.stryker-tmp/',
      'portal/dist/',
      'portal/src/api/schema.ts',
      'test-output/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Tests and benchmarks read JSON bodies the server sends back, which are untyped by nature.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Fastify route handlers and hooks (routes, the HTTP platform, the hooks app.ts adds) are async by contract,
    // and so are the Data API's commands, tests' stand-ins for async interfaces and the benchmark's routes.
    files: [
      'src/**/*-routes.ts',
      'src/http/**/*.ts',
      'src/app.ts',
      'src/data-api/commands/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // A migration works on the schema as it was when written, not on today's table types, so it takes Kysely<any>;
    // Kysely's migration interface is async, also for the `down` that only refuses (migrations are forward-only).
    files: ['src/store/migrations/*.ts', 'src/store/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/require-await': 'off' },
  },
  {
    // Each database's Data API store has tables made at run time (keyspaces, collections), so no static schema type fits.
    files: ['src/data-api/data-plane.ts', 'src/data-api/document-store.ts', 'src/data-api/schema-store.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The Portal's build scripts and Vite configuration run under tsx and Vite, outside both TypeScript projects.
    files: ['portal/scripts/**/*.ts', 'portal/vite.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain JavaScript files (configuration, bin/) are not in the TypeScript project.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly' },
    },
  },
);
