// Lint rules double as the process boundary: each process may import only its own platform APIs.
import js from '@eslint/js'
import { builtinModules } from 'node:module'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** Every Node built-in, bare (`events`, `fs/promises`) and prefixed (`node:events`). */
const nodeBuiltins = ['node:*', ...builtinModules.flatMap((name) => [name, `${name}/*`])]

/**
 * A regex for imports of packages other than `allowed` (and their subpaths). Relative paths and
 * Node built-ins are left to the rules that name them.
 */
function packagesOtherThan(allowed) {
  const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  const names = [...allowed, ...builtinModules].map(escape).join('|')
  return `^(?![./])(?!node:)(?!(?:${names})(?:/|$))`
}

/**
 * What the renderer, a web page, may import besides its own files and src/shared. A new package
 * joins this list on purpose, once it is known to be a browser library with no Node in it.
 */
const RENDERER_PACKAGES = [
  'react',
  'react-dom',
  '@tanstack/react-query',
  '@tanstack/react-virtual',
  'lucide-react',
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
    {
      regex: packagesOtherThan([...RENDERER_PACKAGES, 'electron']),
      message: `The renderer may import only these packages: ${RENDERER_PACKAGES.join(', ')} (eslint.config.js lists them).`,
    },
  ],
}

const windowAscent = {
  selector: "MemberExpression[object.name='window'][property.name='ascent']",
  message:
    'Only src/renderer/data/bridge.ts reads window.ascent: use the hooks in src/renderer/data.',
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
    {
      regex: packagesOtherThan(['zod', 'electron']),
      message: 'src/shared may import only zod: it runs in every process.',
    },
  ],
}

/**
 * What the sandboxed preload can have: Electron's renderer modules, and of Node only what the
 * sandbox's require provides (events, timers, url). It ships to every window as one small file:
 * the contract's names only (src/shared/contract/channels.ts), never its zod schemas (main checks
 * every request with them).
 */
const PRELOAD_NODE = ['events', 'timers', 'url']
const preloadBoundary = {
  paths: [
    {
      name: 'electron',
      allowImportNames: [
        'contextBridge',
        'crashReporter',
        'ipcRenderer',
        'nativeImage',
        'webFrame',
        'webUtils',
        'IpcRendererEvent',
      ],
      message: 'A sandboxed preload has only Electron’s renderer modules, imported by name.',
    },
  ],
  patterns: [
    {
      group: [...nodeBuiltins, ...PRELOAD_NODE.flatMap((name) => [`!${name}`, `!node:${name}`])],
      message: `A sandboxed preload can require only ${PRELOAD_NODE.join(', ')} of Node.`,
    },
    {
      group: ['electron/*'],
      message: 'Import Electron’s renderer modules from electron, by name.',
    },
    { group: ['**/main/**', '**/renderer/**'], message: 'The preload may import only src/shared.' },
    {
      regex: packagesOtherThan(['electron']),
      message: 'The preload is bundled into one file: it imports no package besides Electron.',
    },
    {
      regex: '/shared/contract(/index)?$',
      allowTypeImports: true,
      message: 'The preload reads src/shared/contract/channels.ts; main checks requests with zod.',
    },
  ],
}

// The sandbox loads the preload as one file: a require() or import() could not be resolved there.
const preloadSingleFile = [
  {
    selector: "CallExpression[callee.name='require']",
    message: 'The sandboxed preload is one bundled file: import statically.',
  },
  {
    selector: 'ImportExpression',
    message: 'The sandboxed preload is one bundled file: no dynamic import().',
  },
  {
    selector: 'ExportNamedDeclaration[source], ExportAllDeclaration',
    message: 'The preload hands the page window.ascent alone: it re-exports nothing.',
  },
]

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
        project: ['./tsconfig.main.json', './tsconfig.node.json', './tsconfig.web.json'],
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
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sharedBoundary] },
  },
  {
    files: ['src/preload/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', preloadBoundary],
      'no-restricted-syntax': ['error', ...preloadSingleFile],
    },
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
