/**
 * The one list of error codes (src/shared/errors.ts) against the code that uses them: every code
 * literal the source throws, answers, refuses with or branches on is in the list (or is a
 * diagnosis code), so a code cannot be made up in one place and missed in another.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DIAGNOSIS_CODES } from '../../src/shared/diagnosis'
import { ERROR_CODES, isErrorCode } from '../../src/shared/errors'

const root = fileURLToPath(new URL('../..', import.meta.url))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) ? [path] : []
  })
}

/** Where a string literal stands for an error code: thrown, answered, refused with, compared. */
const CODE_PLACES = [
  /\b(?:AppError|KeychainError)\(\s*'([^']+)'/g,
  /\brefusal\(\s*'([^']+)'/g,
  /\bcode:\s*'([^']+)'/g,
  /\bcode\s*[!=]==?\s*'([^']+)'/g,
  /'([^']+)'\s*[!=]==?\s*[\w.?]*\bcode\b/g,
  /\b[A-Z_]*CODES?\b\.has\(\s*'([^']+)'/g,
  /\bnew Set<ErrorCode>\(\[([^\]]*)\]/g,
]

/** `domain.name`, or the IPC layer's bare `internal`; `typeof x.code === 'string'` is no code. */
const CODE_SHAPE = /^(?:[a-z]+\.[a-z0-9_]+|internal)$/

/** Every code-shaped literal found at those places in `text`. */
function codesUsedIn(text: string): string[] {
  const found: string[] = []
  for (const pattern of CODE_PLACES) {
    for (const match of text.matchAll(pattern)) {
      const captured = match[1] ?? ''
      const literals = captured.includes("'")
        ? [...captured.matchAll(/'([^']+)'/g)].map((inner) => inner[1] ?? '')
        : [captured]
      found.push(...literals.filter((literal) => CODE_SHAPE.test(literal)))
    }
  }
  return found
}

const allowed = new Set<string>([...ERROR_CODES, ...DIAGNOSIS_CODES])

describe('error codes', () => {
  it('lists each code once, dotted by domain', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length)
    for (const code of ERROR_CODES) {
      expect(CODE_SHAPE.test(code), code).toBe(true)
    }
    expect(isErrorCode('keychain.locked')).toBe(true)
    expect(isErrorCode('keychain.melted')).toBe(false)
  })

  it('finds the codes the source uses, and would flag one the list lacks', () => {
    const sample = [
      "throw new AppError('browse.canceled', 'Another team was opened.')",
      "if (error.code === 'keys.made_up') return",
      "return refusal('intake.rsa_key', message, fix)",
    ].join('\n')
    const used = codesUsedIn(sample)
    expect(used).toContain('browse.canceled')
    expect(used).toContain('intake.rsa_key')
    expect(used.filter((code) => !allowed.has(code))).toEqual(['keys.made_up'])
  })

  it('every code used in src is in the list', () => {
    const unknown: string[] = []
    let seen = 0
    for (const file of sourceFiles(join(root, 'src'))) {
      for (const code of codesUsedIn(readFileSync(file, 'utf8'))) {
        seen += 1
        if (!allowed.has(code)) unknown.push(`${relative(root, file)}: ${code}`)
      }
    }
    // The scan reads real code: dozens of codes are used across main, the preload and the renderer.
    expect(seen).toBeGreaterThan(50)
    expect(unknown).toEqual([])
  })
})
