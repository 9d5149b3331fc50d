/**
 * Main is compiled without the DOM library: a main module that reaches for `document`, `window`
 * or an element type does not type-check. Proven by compiling a probe file under each config.
 */
import { resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

/** The errors of `code`, compiled as `file` (a path in the repository) under `config`. */
function errorsOf(config: string, file: string, code: string): string[] {
  const configPath = resolve(root, config)
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
      },
    },
  )
  if (!parsed) throw new Error(`Could not read ${config}`)
  const probe = resolve(root, file)
  const host = ts.createCompilerHost(parsed.options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  host.readFile = (path) => (resolve(path) === probe ? code : readFile(path))
  host.fileExists = (path) => resolve(path) === probe || fileExists(path)
  host.getSourceFile = ((getSourceFile) => (path, language, onError, create) =>
    resolve(path) === probe
      ? ts.createSourceFile(path, code, language)
      : getSourceFile(path, language, onError, create))(host.getSourceFile.bind(host))
  const program = ts.createProgram({ rootNames: [probe], options: parsed.options, host })
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(probe))
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
}

const usesTheDom = [
  'export const title: string = document.title',
  'export const width: number = window.innerWidth',
  'export const field: HTMLInputElement | null = null',
].join('\n')

describe('tsconfig', () => {
  it('compiles main without the DOM library', () => {
    const errors = errorsOf('tsconfig.main.json', 'src/main/probe.ts', usesTheDom)
    expect(errors).toHaveLength(3)
    for (const name of ['document', 'window', 'HTMLInputElement']) {
      expect(
        errors.some((error) => error.includes(`'${name}'`)),
        name,
      ).toBe(true)
    }
  })

  it('still gives main what Node has: fetch, URL, Web Crypto, timers', () => {
    const code = [
      "import type { webcrypto } from 'node:crypto'",
      "export const page: Promise<Response> = fetch(new URL('https://example.com/'))",
      'export const key = (k: webcrypto.CryptoKey): string => k.type',
      'export const timer = setTimeout(() => undefined, 1)',
      'export const copy = structuredClone({ a: 1 })',
    ].join('\n')
    expect(errorsOf('tsconfig.main.json', 'src/main/probe.ts', code)).toEqual([])
  })

  it('gives the renderer the DOM (the same probe compiles there)', () => {
    expect(errorsOf('tsconfig.web.json', 'src/renderer/probe.ts', usesTheDom)).toEqual([])
  })
})
