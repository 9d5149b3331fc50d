/**
 * The preload as the app ships it: bundled into one file with everything it imports (a sandboxed
 * preload cannot load packages). It reads the contract's names only, so zod's request schemas
 * (checked in main) stay out of it, and it stays small.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { build, type Rolldown } from 'vite'

const root = fileURLToPath(new URL('../..', import.meta.url))
const MAX_KB = 40

async function bundlePreload(): Promise<Rolldown.OutputChunk> {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      rollupOptions: { external: ['electron'] },
      lib: {
        entry: fileURLToPath(new URL('../../src/preload/index.ts', import.meta.url)),
        formats: ['cjs'],
        fileName: () => 'index.cjs',
      },
    },
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[]
  const chunk = outputs.flatMap((output) => output.output).find((item) => item.type === 'chunk')
  if (!chunk || chunk.type !== 'chunk') throw new Error('The preload build produced no script')
  return chunk
}

describe('the preload bundle', () => {
  it(`carries no zod and stays under ${MAX_KB} KB`, async () => {
    const chunk = await bundlePreload()
    const modules = Object.keys(chunk.modules)
    expect(modules.some((path) => path.includes('src/preload/bridge.ts'))).toBe(true)
    expect(modules.filter((path) => path.includes('node_modules'))).toEqual([])
    expect(modules.filter((path) => path.includes('/zod/'))).toEqual([])
    expect(chunk.code.length / 1024).toBeLessThan(MAX_KB)
  })
})
