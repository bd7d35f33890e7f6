// ESLint: typescript-eslint's type-checked recommended rules over src/ and test/, the plain recommended set over the
// JavaScript (bin, scripts, bench), and eslint-config-prettier last so that no rule argues with the formatter.
// docs/development.md says why each exception below exists.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import {defineConfig} from 'eslint/config'

export default defineConfig(
  {ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'bench/out/**', 'coverage/**']},
  {
    files: ['**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {globals: globals.node},
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'vitest.config.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // One program for sources and tests: tsconfig.test.json includes both.
      parserOptions: {project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname},
    },
    rules: {
      // `_`-prefixed names mark arguments a callback signature requires but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      // An async function without await is how a Promise-returning interface is met (oclif flag parse, vega's loader).
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read JSON.parse output (any) field by field; the assertions, not declared types, check its shape.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  prettier,
)
