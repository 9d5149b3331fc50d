import type { ReactNode } from 'react'
import type { Problem } from './problem'

/**
 * What went wrong, wherever it is shown (the wizard's check, a team's check, a pane that could
 * not load): the title with its icon, what it means, the numbered things to try, and the request
 * behind it. `brief` keeps the title and the meaning only, for a notice under data still shown;
 * `terse` leaves the meaning out when there are hints, for a banner above data still shown.
 */
export function ProblemText(props: {
  problem: Problem
  icon: ReactNode
  brief?: boolean
  terse?: boolean
}) {
  const { problem, brief } = props
  return (
    <>
      <h3 className="problem-title">
        {props.icon}
        {problem.title}
      </h3>
      {props.terse && problem.hints.length > 0 ? null : (
        <p className="problem-detail">{problem.detail}</p>
      )}
      {problem.hints.length > 0 && !brief ? (
        <ol className="problem-hints">
          {problem.hints.map((hint) => (
            <li key={hint}>{hint}</li>
          ))}
        </ol>
      ) : null}
      {problem.facts && !brief ? <p className="problem-facts mono">{problem.facts}</p> : null}
    </>
  )
}
