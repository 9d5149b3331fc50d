import type { TeamUsage } from '../../shared/contract'
import { rateWords } from './rateWords'

/** The key's requests left this hour (`X-Rate-Limit`), as a small meter in the toolbar. */
export function RateMeter(props: { usage: TeamUsage | null }) {
  const rateLimit = props.usage?.rateLimit
  if (!props.usage || !rateLimit) return null
  const { limit, remaining } = rateLimit
  const share = limit > 0 ? remaining / limit : 0
  const state = props.usage.backgroundRefresh
  const words = rateWords(rateLimit, state)
  return (
    <div className={`rate-meter rate-${state}`} title={words.full}>
      <span
        className="rate-bar"
        role="meter"
        aria-label="Requests left this hour"
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={remaining}
        aria-valuetext={words.full}
      >
        <span className="rate-fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
      <span className="rate-text" aria-hidden="true">
        {words.short}
      </span>
    </div>
  )
}
