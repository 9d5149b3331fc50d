import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogFile, createLogger, redact } from '../../src/main/log'
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

describe('createLogFile', () => {
  let dir: string

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'ascent-logs-')), 'logs')
  })

  afterEach(async () => {
    await rm(dirname(dir), { recursive: true, force: true })
  })

  it('appends stamped, redacted lines to a file only the user can read', async () => {
    const file = createLogFile({ dir, now: () => Date.UTC(2026, 4, 1, 12, 0, 0) })
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl'
    createLogger(file.write).warn('request failed', { authorization: `Bearer ${jwt}` })
    file.write(`raw ${jwt}`)
    expect(file.path).toBe(join(dir, 'ascent.log'))
    const text = await readFile(file.path, 'utf8')
    expect(text.split('\n')).toEqual([
      expect.stringMatching(
        /^2026-05-01T12:00:00\.000Z \[warn\] request failed .*\[token redacted\]/,
      ),
      '2026-05-01T12:00:00.000Z raw [token redacted]',
      '',
    ])
    expect(text).not.toContain('eyJ')
    expect((await stat(file.path)).mode & 0o777).toBe(0o600)
    expect((await stat(dir)).mode & 0o777).toBe(0o700)
  })

  it('keeps the current file and the one before it, each under the cap', async () => {
    const maxBytes = 2_000
    const file = createLogFile({ dir, now: () => 0, maxBytes })
    for (let index = 0; index < 200; index += 1) file.write(`line ${index} ${'.'.repeat(40)}`)
    expect((await readdir(dir)).sort()).toEqual(['ascent.log', 'ascent.log.1'])
    for (const name of ['ascent.log', 'ascent.log.1']) {
      expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(maxBytes)
    }
    const current = await readFile(file.path, 'utf8')
    expect(current).toContain('line 199 ')
    expect(current).not.toContain('line 0 ')
    // A new session goes on in the same files, counting what is already there.
    createLogFile({ dir, now: () => 0, maxBytes }).write('next session')
    expect((await stat(file.path)).size).toBeLessThanOrEqual(maxBytes)
  })

  it('cuts a runaway line and never throws when it cannot write', async () => {
    const file = createLogFile({ dir, now: () => 0 })
    file.write('x '.repeat(10_000))
    expect((await stat(file.path)).size).toBeLessThan(4_100)
    await rm(dir, { recursive: true })
    await writeFile(dir, 'a file where the folder was')
    expect(() => file.write('after the folder went')).not.toThrow()
  })
})
