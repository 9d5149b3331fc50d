import { describe, expect, it } from 'vitest'
import { describeDuration } from '../../../src/main/diagnosis'

describe('describeDuration', () => {
  it.each([
    [0, '0 seconds'],
    [-1, '1 second'],
    [45, '45 seconds'],
    [-305, '5 minutes'],
    [3600, '60 minutes'],
    [7260, '2 hours 1 minute'],
    [7200, '2 hours'],
    [3 * 86400, '3 days'],
  ])('%i s → %s', (seconds, words) => {
    expect(describeDuration(seconds)).toBe(words)
  })
})
