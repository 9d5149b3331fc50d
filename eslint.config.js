// Lint rules double as the process boundary: each process may import only its own platform APIs.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
]

const rendererBoundary = {
  patterns: [
    {
      group: ['electron', 'electron/*'],
      message: 'The renderer talks to main only through window.ascent.',
    },
    { group: nodeBuiltins, message: 'The renderer is a web page: no Node APIs.' },
    { group: ['**/main/**', '**/preload/**'], message: 'The renderer may import only src/shared.' },
    {
      group: ['**/data/bridge'],
      message: 'Only src/renderer/data talks to main: use its hooks and functions.',
    },
  ],
}

const windowAscent = {
  selector: "MemberExpression[object.name='window'][property.name='ascent']",
  message:
    'Only src/renderer/data/bridge.ts reads window.ascent: use the hooks in src/renderer/data.',
}

// The preload ships to every window: the contract's names only, never its zod schemas.
const preloadBoundary = {
  patterns: [
    {
      regex: '^zod$|/shared/contract(/index)?$',
      allowTypeImports: true,
      message: 'The preload reads src/shared/contract/channels.ts; main checks requests with zod.',
    },
  ],
}

const sharedBoundary = {
  patterns: [
    {
      group: ['electron', 'electron/*'],
      message: 'src/shared is plain TypeScript used by every process.',
    },
    { group: nodeBuiltins, message: 'src/shared must run in the renderer too: no Node APIs.' },
    {
      group: ['**/main/**', '**/preload/**', '**/renderer/**'],
      message: 'src/shared imports nothing from the processes.',
    },
  ],
}

const mainModuleBoundary = {
  patterns: [
    {
      group: ['electron', 'electron/*'],
      message:
        'Only src/main/index.ts and src/main/window.ts import electron; modules take platform dependencies as arguments.',
    },
    {
      group: ['**/renderer/**', '**/preload/**'],
      message: 'Main does not import other processes.',
    },
  ],
}

// A default or namespace import of electron carries ipcRenderer along (`electron.ipcRenderer`).
const noIpcRenderer = {
  paths: [
    {
      name: 'electron',
      importNames: ['ipcRenderer', 'default'],
      message: 'ipcRenderer belongs to src/preload alone: import the main-process APIs by name.',
    },
    { name: 'electron/renderer', message: 'ipcRenderer belongs to src/preload alone.' },
  ],
}

const noLooseElectron = [
  {
    selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(\\/|$)/]",
    message: 'Import electron statically, by name: require() hides what is used (ipcRenderer).',
  },
  {
    selector: 'ImportExpression[source.value=/^electron(\\/|$)/]',
    message: 'Import electron statically, by name: import() hides what is used (ipcRenderer).',
  },
]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json'],
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Every file but the preload; the process blocks below ban electron outright where it is
    // not allowed at all.
    files: ['**/*.{ts,tsx,mts,cts,js,cjs,mjs}'],
    ignores: ['src/preload/**', 'test/harness/electron-shim.ts'],
    rules: {
      'no-restricted-imports': ['error', noIpcRenderer],
      'no-restricted-syntax': ['error', ...noLooseElectron],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', rendererBoundary],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    ignores: ['src/renderer/data/bridge.ts'],
    rules: { 'no-restricted-syntax': ['error', ...noLooseElectron, windowAscent] },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', preloadBoundary] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sharedBoundary] },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/window.ts'],
    rules: { 'no-restricted-imports': ['error', mainModuleBoundary] },
  },
  {
    // Playwright fixtures must destructure their first argument, even when they use nothing.
    files: ['test/e2e/**/*.ts', 'test/electron/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['scripts/**/*.ts', 'test/sandbox/cli.ts', 'src/main/cli.ts', 'bin/**'],
    rules: { 'no-console': 'off' },
  },
)
