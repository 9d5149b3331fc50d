import { TriangleAlert } from 'lucide-react'

/** The "Needs Attention" filter, with how many builds need it. */
export function AttentionToggle(props: {
  pressed: boolean
  count: number
  onToggle: () => void
  title?: string
}) {
  return (
    <button
      type="button"
      className="toggle"
      aria-pressed={props.pressed}
      onClick={props.onToggle}
      title={props.title}
    >
      <TriangleAlert size={12} aria-hidden="true" />
      <span className="toggle-label">Needs Attention</span>
      {props.count > 0 ? <span className="toggle-count">{props.count}</span> : null}
    </button>
  )
}
