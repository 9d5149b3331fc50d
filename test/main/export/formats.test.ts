import { describe, expect, it } from 'vitest'
import {
  ciSetup,
  clipboardContent,
  fileContent,
  ghCommandsAfterExport,
  pasteCommand,
  shellQuote,
} from '../../../src/main/export/formats'
import { parseKeyText } from '../../../src/main/keys'
import { fingerprintOfPem, ISSUER_ID, KEY_ID, p256 } from '../keys/inputs'

const team = { keyType: 'team' as const, keyId: KEY_ID, issuerId: ISSUER_ID }
const person = { keyType: 'individual' as const, keyId: KEY_ID, issuerId: null }

describe('export formats', () => {
  it('writes fastlane’s JSON, which Ascent’s own intake reads back with its IDs', () => {
    const key = p256()
    const json = fileContent('fastlane', team, Buffer.from(key.pem)).toString('utf8')
    expect(JSON.parse(json)).toEqual({
      key_id: KEY_ID,
      issuer_id: ISSUER_ID,
      key: key.pem,
      duration: 1200,
      in_house: false,
    })
    const parsed = parseKeyText(json)
    if (!parsed.ok) throw new Error(parsed.refusal.message)
    expect(parsed.key.fingerprint).toBe(key.fingerprint)
    expect(parsed.key.prefill).toEqual({ keyId: KEY_ID, issuerId: ISSUER_ID, keyType: 'team' })

    const individual = JSON.parse(
      fileContent('fastlane', person, Buffer.from(key.pem)).toString('utf8'),
    ) as Record<string, unknown>
    expect(Object.keys(individual)).toEqual(['key_id', 'key', 'duration', 'in_house'])
  })

  it('writes the CI variables, and copies only the secret one', () => {
    const key = p256()
    const env = fileContent('env', team, Buffer.from(key.pem)).toString('utf8')
    const base64 = Buffer.from(key.pem).toString('base64')
    expect(env).toBe(
      `ASC_ISSUER_ID=${ISSUER_ID}\nASC_KEY_ID=${KEY_ID}\nASC_KEY_P8_BASE64=${base64}\n`,
    )
    expect(fileContent('env', person, Buffer.from(key.pem)).toString('utf8')).toBe(
      `ASC_KEY_ID=${KEY_ID}\nASC_KEY_P8_BASE64=${base64}\n`,
    )
    expect(clipboardContent('env', team, Buffer.from(key.pem)).toString('utf8')).toBe(base64)
    expect(fingerprintOfPem(clipboardContent('p8', team, Buffer.from(key.pem)).toString())).toBe(
      key.fingerprint,
    )
  })

  it('gives a GitHub Actions job and gh commands that hold names and IDs, never the key', () => {
    const setup = ciSetup(team)
    expect(setup.githubActions).toMatch(/ASC_KEY_P8_BASE64: \$\{\{ secrets\.ASC_KEY_P8_BASE64 \}\}/)
    expect(setup.githubActions).toContain('base64 --decode > ~/.appstoreconnect/private_keys/')
    expect(setup.githubActions).not.toMatch(/PRIVATE KEY|[A-Za-z0-9+/]{60,}/)
    expect(ghCommandsAfterExport('p8', team, { path: '/x' })).toEqual([])
    expect(ghCommandsAfterExport('env', team, { path: '/My Keys/ci.env' })).toEqual([
      "gh secret set --env-file '/My Keys/ci.env'",
    ])
  })

  it('quotes paths for the shell and knows each system’s paste command', () => {
    expect(shellQuote('/a/b.env')).toBe('/a/b.env')
    expect(shellQuote("/it's here/x")).toBe(`'/it'\\''s here/x'`)
    expect(pasteCommand('darwin')).toBe('pbpaste')
    expect(pasteCommand('linux')).toBe('xclip -selection clipboard -o')
  })
})
