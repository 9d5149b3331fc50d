import { describe, expect, it } from 'vitest'
import { rateWords } from '../../../src/renderer/teams/rateWords'

describe('the rate meter’s words', () => {
  it('names the unit beside the bar and the whole figure in its label', () => {
    const words = rateWords({ limit: 3600, remaining: 3567 }, 'normal')
    const remaining = (3567).toLocaleString()
    const limit = (3600).toLocaleString()
    expect(words.short).toBe(`${remaining} requests left`)
    expect(words.full).toBe(`${remaining} of ${limit} requests left this hour`)
  })

  it('says when quiet refreshes are slowed or paused to save requests', () => {
    expect(rateWords({ limit: 3600, remaining: 200 }, 'slowed').full).toMatch(
      /requests left this hour\. Quiet refreshes slowed/,
    )
    expect(rateWords({ limit: 3600, remaining: 20 }, 'paused').full).toMatch(/paused/)
  })
})
