/** Bundles the real preload with `electron` swapped for the harness shim, as one browser script. */
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const root = fileURLToPath(new URL('../..', import.meta.url))
export const harnessOutDir = fileURLToPath(new URL('../../out/harness', import.meta.url))

export async function buildHarnessPreload(): Promise<string> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    resolve: { alias: { electron: fileURLToPath(new URL('./electron-shim.ts', import.meta.url)) } },
    build: {
      outDir: harnessOutDir,
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: fileURLToPath(new URL('../../src/preload/index.ts', import.meta.url)),
        formats: ['iife'],
        name: 'ascentPreload',
        fileName: () => 'preload.js',
      },
    },
  })
  return `${harnessOutDir}/preload.js`
}
