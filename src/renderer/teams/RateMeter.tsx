import type { TeamUsage } from '../../shared/contract'

const NOTES: Record<TeamUsage['backgroundRefresh'], string> = {
  normal: '',
  slowed: 'Quiet refreshes slowed to save requests.',
  paused: 'Quiet refreshes paused until more requests are free.',
}

/** The key's requests left this hour (`X-Rate-Limit`), as a small meter in the toolbar. */
export function RateMeter(props: { usage: TeamUsage | null }) {
  const rateLimit = props.usage?.rateLimit
  if (!props.usage || !rateLimit) return null
  const { limit, remaining } = rateLimit
  const share = limit > 0 ? remaining / limit : 0
  const state = props.usage.backgroundRefresh
  const label = `${remaining.toLocaleString()} of ${limit.toLocaleString()} requests left this hour`
  const note = NOTES[state]
  return (
    <div className={`rate-meter rate-${state}`} title={note ? `${label}. ${note}` : label}>
      <span
        className="rate-bar"
        role="meter"
        aria-label="Requests left this hour"
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={remaining}
        aria-valuetext={note ? `${label}. ${note}` : label}
      >
        <span className="rate-fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
      <span className="rate-text">{remaining.toLocaleString()}</span>
    </div>
  )
}
