import { describe, expect, it, vi } from 'vitest'
import { apiBaseProblem, resolveApiBase } from '../../src/main/api-base'
import { APPLE_API_BASE } from '../../src/main/platform'

describe('apiBaseProblem', () => {
  it.each([
    'https://api.appstoreconnect.apple.com',
    'https://asc-proxy.example.com/v1',
    'http://127.0.0.1:4010',
    'http://localhost:4010/',
    'http://[::1]:4010',
  ])('allows %s', (url) => expect(apiBaseProblem(new URL(url))).toBeNull())

  it.each([
    ['http://api.appstoreconnect.apple.com', /only to this computer/],
    ['http://192.168.1.2:4010', /clear text/],
    ['http://127.0.0.1.evil.example', /only to this computer/],
    ['http://localhost.evil.example', /only to this computer/],
    ['ftp://127.0.0.1', /https/],
    ['https://user:secret@api.appstoreconnect.apple.com', /user name or password/],
  ])('refuses %s', (url, reason) => expect(apiBaseProblem(new URL(url))).toMatch(reason))
})

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

  it('refuses plain http to another machine, and what is not a URL', () => {
    expect(() =>
      resolveApiBase({ packaged: false, requested: 'http://evil.example', warn: vi.fn() }),
    ).toThrow(/https/)
    expect(() => resolveApiBase({ packaged: false, requested: 'sandbox', warn: vi.fn() })).toThrow(
      /not a URL/,
    )
  })
})
