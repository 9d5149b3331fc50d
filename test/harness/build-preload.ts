/**
 * Bundles the real preload with `electron` swapped for the harness shim, as one browser script.
 * Built in memory once per process: parallel harnesses never race over files on disk.
 */
import { fileURLToPath } from 'node:url'
import { build, type Rolldown } from 'vite'

const root = fileURLToPath(new URL('../..', import.meta.url))
let bundled: Promise<string> | null = null

export function buildHarnessPreload(): Promise<string> {
  bundled ??= bundle()
  return bundled
}

async function bundle(): Promise<string> {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    resolve: { alias: { electron: fileURLToPath(new URL('./electron-shim.ts', import.meta.url)) } },
    build: {
      write: false,
      minify: false,
      lib: {
        entry: fileURLToPath(new URL('../../src/preload/index.ts', import.meta.url)),
        formats: ['iife'],
        name: 'ascentPreload',
        fileName: () => 'preload.js',
      },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[]
  const chunk = outputs.flatMap((output) => output.output).find((item) => item.type === 'chunk')
  if (!chunk || chunk.type !== 'chunk')
    throw new Error('The harness preload build produced no script')
  return chunk.code
}
