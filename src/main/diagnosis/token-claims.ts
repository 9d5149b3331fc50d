import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { SigningIdentity } from '../tokens'
import { APPLE_AUDIENCE, MAX_TOKEN_LIFETIME_SECONDS } from '../tokens'

/**
 * Reads back a token Ascent signed and checks it against Apple's rules before it is sent, so a
 * 401 is never caused by a token that could have been known to be wrong. Returns the problems in
 * plain words (no token content beyond the public claims); empty when the token is right.
 */
export function tokenProblems(token: string, identity: SigningIdentity): string[] {
  let header: ReturnType<typeof decodeProtectedHeader>
  let claims: ReturnType<typeof decodeJwt>
  try {
    header = decodeProtectedHeader(token)
    claims = decodeJwt(token)
  } catch {
    return ['it is not a readable JWT']
  }
  const problems: string[] = []
  if (header.alg !== 'ES256') problems.push(`its algorithm is ${String(header.alg)}, not ES256`)
  if (header.typ !== 'JWT') problems.push('its type is not JWT')
  if (header.kid !== identity.keyId) problems.push('its kid is not the key ID')
  const { iat, exp, aud, iss, sub } = claims
  if (aud !== APPLE_AUDIENCE) problems.push(`its audience is not ${APPLE_AUDIENCE}`)
  if (typeof iat !== 'number' || typeof exp !== 'number') {
    problems.push('it lacks iat or exp')
  } else if (exp <= iat || exp - iat > MAX_TOKEN_LIFETIME_SECONDS) {
    problems.push(`it lives ${exp - iat} s, not 1 to ${MAX_TOKEN_LIFETIME_SECONDS} s`)
  }
  if (identity.keyType === 'team') {
    if (iss !== identity.issuerId) problems.push('its iss is not the issuer ID')
    if (sub !== undefined) problems.push('a team key’s token carries sub')
  } else {
    if (sub !== 'user') problems.push('an individual key’s token needs sub "user"')
    if (iss !== undefined) problems.push('an individual key’s token carries iss')
  }
  return problems
}
