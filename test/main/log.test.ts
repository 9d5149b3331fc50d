import { describe, expect, it } from 'vitest'
import { createLogger, redact } from '../../src/main/log'
import { generateAppleKey, pemArmor } from './fakes'

describe('redact', () => {
  it('removes PEM blocks, bearer tokens, JWTs and long base64 runs', () => {
    const pem = generateAppleKey().pem
    const keyLine = pem.split('\n')[2] ?? ''
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl'
    const text = redact(
      `key ${pem} header Authorization: Bearer ${jwt} raw ${jwt} b64 ${'QUJD'.repeat(20)}`,
    )
    expect(keyLine.length).toBeGreaterThan(20)
    expect(text).not.toContain(keyLine)
    expect(text).not.toContain('eyJ')
    expect(text).not.toContain('QUJDQUJD')
    expect(text).toContain('[private key redacted]')
    expect(text).toContain('Bearer [token redacted]')
  })

  it('removes a key body that lost its BEGIN line, in plain text and in logged details', () => {
    const pem = generateAppleKey().pem
    const { begin } = pemArmor('PRIVATE KEY')
    const headless = pem.replace(`${begin}\n`, '')
    const bodyLines = headless.split('\n').filter((part) => /^[A-Za-z0-9+/=]+$/.test(part))
    expect(bodyLines.length).toBeGreaterThan(2)
    const lines: string[] = []
    createLogger((line) => lines.push(line)).warn('import failed', { text: headless })
    for (const text of [redact(`pasted ${headless}`), lines[0] ?? '']) {
      for (const part of bodyLines) expect(text).not.toContain(part.slice(-16))
    }
  })

  it('removes base64 in lines with a short last line, without any armor', () => {
    const body = generateAppleKey()
      .pem.split('\n')
      .filter((part) => /^[A-Za-z0-9+/=]+$/.test(part))
    const last = body.at(-1) ?? ''
    expect(last.length).toBeLessThan(64)
    expect(redact(`body ${body.join('\n')} end`)).not.toContain(last)
  })

  it('keeps the words before a lone END line', () => {
    const { end } = pemArmor('PRIVATE KEY')
    expect(redact(`could not import: ${end}`)).toBe('could not import: [private key redacted]')
  })

  it('removes base64 and base64url runs from 40 characters on, and keeps shorter ones', () => {
    const base64 = Buffer.from('a 30-byte secret, no armor!!!!').toString('base64')
    const base64url = Buffer.from('another secret: 30 bytes long?').toString('base64url')
    expect(base64).toHaveLength(40)
    expect(base64url).toHaveLength(40)
    expect(redact(`a ${base64} b`)).toBe('a [redacted] b')
    expect(redact(`a ${base64url} b`)).toBe('a [redacted] b')
    const shorter = base64url.slice(0, 39)
    expect(redact(`a ${shorter} b`)).toBe(`a ${shorter} b`)
  })

  it('keeps ordinary words and IDs', () => {
    expect(redact('key 2X9R4HXF34 of team 57246542-96fe-1a63-e053-0824d011072a')).toBe(
      'key 2X9R4HXF34 of team 57246542-96fe-1a63-e053-0824d011072a',
    )
  })

  it('is applied to every logged line, details included', () => {
    const lines: string[] = []
    createLogger((line) => lines.push(line)).error('signing failed', {
      token: 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln',
    })
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('[error] signing failed')
    expect(lines[0]).not.toContain('eyJ')
  })
})
