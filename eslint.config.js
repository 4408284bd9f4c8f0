// Lint rules. The protocol boundary rule keeps src/protocol pure: it may import only
// itself and node:crypto, so it runs unchanged inside worker threads and in tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'bench/results/**', 'coverage/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!node:crypto$)(?!\\.{1,2}/)',
              message: 'src/protocol is pure: import only src/protocol modules and node:crypto.',
            },
            {
              regex: '^\\.\\./\\.\\./',
              message: 'src/protocol must not import outside src/protocol.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'src/protocol is pure: take time as an argument.' },
        { name: 'fetch', message: 'src/protocol is pure: no network.' },
        { name: 'process', message: 'src/protocol is pure: no process access.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'src/protocol is pure: no randomness.' },
      ],
    },
  },
);
