import { SignJWT } from 'jose'
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { tokenProblems } from '../../../src/main/diagnosis'
import type { SigningIdentity } from '../../../src/main/tokens'
import { createTokenSigner } from '../../../src/main/tokens'

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const fingerprint = createHash('sha256')
  .update(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }))
  .digest('hex')
const team: SigningIdentity = {
  keyType: 'team',
  keyId: '2X9R4HXF34',
  issuerId: '57246542-96fe-1a63-e053-0824d011072a',
  fingerprint,
}
const individual: SigningIdentity = { ...team, keyType: 'individual', issuerId: null }

function sign(payload: Record<string, unknown>, header: Record<string, unknown> = {}) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: team.keyId, typ: 'JWT', ...header })
    .sign(privateKey)
}

const now = 1_800_000_000

describe('tokenProblems', () => {
  it('finds nothing wrong with the signer’s own tokens, of both key types', async () => {
    const der = privateKey.export({ type: 'pkcs8', format: 'der' })
    const key = await crypto.subtle.importKey(
      'pkcs8',
      der,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    )
    const signer = createTokenSigner({ now: () => now * 1000, loadKey: () => Promise.resolve(key) })
    expect(tokenProblems(await signer.token(team), team)).toEqual([])
    expect(tokenProblems(await signer.token(individual), individual)).toEqual([])
  })

  it.each([
    [
      'a lifetime over 20 minutes',
      { iss: team.issuerId, aud: 'appstoreconnect-v1', iat: now, exp: now + 1201 },
      {},
      /lives 1201 s/,
    ],
    [
      'the wrong audience',
      { iss: team.issuerId, aud: 'appstoreconnect-v2', iat: now, exp: now + 600 },
      {},
      /audience/,
    ],
    [
      'another issuer',
      { iss: 'someone-else', aud: 'appstoreconnect-v1', iat: now, exp: now + 600 },
      {},
      /iss/,
    ],
    [
      'the key ID missing from kid',
      { iss: team.issuerId, aud: 'appstoreconnect-v1', iat: now, exp: now + 600 },
      { kid: team.issuerId },
      /kid/,
    ],
    [
      'sub on a team key',
      { iss: team.issuerId, sub: 'user', aud: 'appstoreconnect-v1', iat: now, exp: now + 600 },
      {},
      /carries sub/,
    ],
  ])('finds %s', async (_name, payload, header, problem) => {
    const problems = tokenProblems(await sign(payload, header), team)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(problem)
  })

  it('wants sub "user" and no iss on an individual key’s token', async () => {
    const token = await sign({
      iss: team.issuerId,
      aud: 'appstoreconnect-v1',
      iat: now,
      exp: now + 600,
    })
    expect(tokenProblems(token, individual)).toEqual([
      'an individual key’s token needs sub "user"',
      'an individual key’s token carries iss',
    ])
  })

  it('refuses what is not a JWT', () => {
    expect(tokenProblems('not.a.token', team)).toEqual(['it is not a readable JWT'])
  })
})
