import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlatCompat } from '@eslint/eslintrc';
import tseslint from 'typescript-eslint';

// eslint-config-next 15.5 still ships eslintrc-style configs; FlatCompat adapts them.
const compat = new FlatCompat({ baseDirectory: dirname(fileURLToPath(import.meta.url)) });

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.next/**', '.next-*/**', '.data/**', 'embedded-mongo/**', 'next-env.d.ts', 'dist/**', 'coverage/**', 'test-results/**'],
  },
  ...compat.extends('next/core-web-vitals', 'next/typescript'),
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // Processes and scripts are not Next.js pages.
    files: ['realtime/**', 'worker/**', 'scripts/**', 'tests/**'],
    rules: { '@next/next/no-html-link-for-pages': 'off' },
  },
);
