import type { TeamUsage } from '../../shared/contract'

const NOTES: Record<TeamUsage['backgroundRefresh'], string> = {
  normal: '',
  slowed: 'Quiet refreshes slowed to save requests.',
  paused: 'Quiet refreshes paused until more requests are free.',
}

/** The meter's words: short beside the bar, in full for its tooltip and for assistive tech. */
export function rateWords(
  rateLimit: { limit: number; remaining: number },
  state: TeamUsage['backgroundRefresh'],
): { short: string; full: string } {
  const remaining = rateLimit.remaining.toLocaleString()
  const limit = rateLimit.limit.toLocaleString()
  const label = `${remaining} of ${limit} requests left this hour`
  const note = NOTES[state]
  return { short: `${remaining} requests left`, full: note ? `${label}. ${note}` : label }
}
