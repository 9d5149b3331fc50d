import { describe, expect, it, vi } from 'vitest'
import { APPLE_API_BASE } from '../../src/main/platform'
import { resolveApiBase } from '../../src/main/settings'

describe('resolveApiBase', () => {
  it('uses Apple unless told otherwise', () => {
    expect(resolveApiBase({ packaged: false, requested: undefined, warn: vi.fn() })).toBe(
      APPLE_API_BASE,
    )
  })

  it('accepts a loopback sandbox in development builds', () => {
    expect(
      resolveApiBase({ packaged: false, requested: 'http://127.0.0.1:4010/', warn: vi.fn() }),
    ).toBe('http://127.0.0.1:4010')
  })

  it('refuses the override in packaged builds, and says so', () => {
    const warn = vi.fn()
    expect(resolveApiBase({ packaged: true, requested: 'http://127.0.0.1:4010', warn })).toBe(
      APPLE_API_BASE,
    )
    expect(warn).toHaveBeenCalledOnce()
  })

  it('refuses plain http to another machine', () => {
    expect(() =>
      resolveApiBase({ packaged: false, requested: 'http://evil.example', warn: vi.fn() }),
    ).toThrow(/https/)
  })
})
