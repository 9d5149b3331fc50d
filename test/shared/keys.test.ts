import { describe, expect, it } from 'vitest'
import { checkIds, hasBlockingProblem, keyIdFromFileName } from '../../src/shared/keys'

const ISSUER = '57246542-96fe-1a63-e053-0824d011072a'

describe('checkIds', () => {
  it('normalizes a valid team key: issuer lower case, key ID upper case', () => {
    const check = checkIds({
      keyType: 'team',
      issuerId: ` ${ISSUER.toUpperCase()} `,
      keyId: '2x9r4hxf34',
    })
    expect(check).toEqual({ issuerId: ISSUER, keyId: '2X9R4HXF34', problems: [] })
  })

  it('detects swapped fields', () => {
    const check = checkIds({ keyType: 'team', issuerId: '2X9R4HXF34', keyId: ISSUER })
    expect(check.problems.map((p) => p.code)).toEqual(['input.ids_swapped'])
    expect(hasBlockingProblem(check)).toBe(true)
  })

  it('explains a malformed issuer ID and key ID', () => {
    const check = checkIds({ keyType: 'team', issuerId: 'not-a-uuid', keyId: 'ABC' })
    expect(check.problems.map((p) => p.code)).toEqual([
      'input.issuer_id_invalid',
      'input.key_id_invalid',
    ])
    expect(check.problems[1]?.message).toContain('3 characters')
  })

  it('ignores the issuer ID for individual keys', () => {
    const check = checkIds({ keyType: 'individual', issuerId: 'whatever', keyId: '2X9R4HXF34' })
    expect(check).toEqual({ issuerId: null, keyId: '2X9R4HXF34', problems: [] })
  })

  it('warns, without blocking, when the key ID differs from the file name', () => {
    const check = checkIds({
      keyType: 'team',
      issuerId: ISSUER,
      keyId: '2X9R4HXF34',
      keyIdFromFileName: 'ZZZZZZZZZZ',
    })
    expect(check.problems).toMatchObject([{ code: 'input.key_id_mismatch', severity: 'warning' }])
    expect(hasBlockingProblem(check)).toBe(false)
  })
})

describe('keyIdFromFileName', () => {
  it.each([
    ['AuthKey_2X9R4HXF34.p8', '2X9R4HXF34'],
    ['/Users/me/Downloads/AuthKey_2x9r4hxf34.p8', '2X9R4HXF34'],
    ['AuthKey_2X9R4HXF34 (1).p8', '2X9R4HXF34'],
    ['ApiKey_2X9R4HXF34.p8', '2X9R4HXF34'],
    ['key.p8', null],
    ['AuthKey_SHORT.p8', null],
  ])('%s → %s', (name, expected) => {
    expect(keyIdFromFileName(name)).toBe(expected)
  })
})
