import { Link } from 'lucide-react'
import type { TeamSummary, TestFlightGroup } from '../../shared/contract'
import { useResource } from '../data/browse'
import { ProblemLine } from '../teams/ProblemNotice'

function testers(group: TestFlightGroup): string | null {
  if (group.testers === null) return null
  return `${group.testers.toLocaleString()} tester${group.testers === 1 ? '' : 's'}`
}

/** Who tests the build in TestFlight (its groups and their testers) and what they are asked to test. */
export function BuildTestFlight(props: { team: TeamSummary; buildId: string; enabled: boolean }) {
  const testFlight = useResource(
    props.team.id,
    'testFlight',
    { buildId: props.buildId },
    { enabled: props.enabled },
  )
  const value = testFlight.value
  const waiting = !value && !testFlight.problem
  return (
    <section className="testflight" aria-label="TestFlight">
      {testFlight.problem && !value ? (
        <ProblemLine problem={testFlight.problem} loaded={false} onRetry={testFlight.refresh} />
      ) : null}
      <dl className="facts">
        <dt>Beta groups</dt>
        <dd>
          {value ? (
            value.groups.length ? (
              <ul className="group-list">
                {value.groups.map((group) => (
                  <li
                    key={group.id}
                    className="chip"
                    title={group.hasAccessToAllBuilds ? 'Gets every new build' : undefined}
                  >
                    {group.name}
                    <span className="chip-note">
                      {[group.isInternal ? 'Internal' : 'External', testers(group)]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                    {group.publicLink ? (
                      <span className="chip-note" title={`Public link: ${group.publicLink}`}>
                        <Link size={10} aria-hidden="true" />
                        <span className="visually-hidden">, public link</span>
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              'Not in any group'
            )
          ) : (
            <Placeholder waiting={waiting} />
          )}
        </dd>
        <dt>What to Test</dt>
        {value ? (
          value.whatToTest.length ? (
            value.whatToTest.map((note) => (
              <dd key={note.locale} className="what-to-test" lang={note.locale}>
                {value.whatToTest.length > 1 ? (
                  <span className="what-to-test-locale">{note.locale}</span>
                ) : null}
                {note.text}
              </dd>
            ))
          ) : (
            <dd className="muted">No notes for testers</dd>
          )
        ) : (
          <dd>
            <Placeholder waiting={waiting} />
          </dd>
        )}
      </dl>
    </section>
  )
}

function Placeholder(props: { waiting: boolean }) {
  return props.waiting ? (
    <span className="skeleton skeleton-text" aria-label="Loading" />
  ) : (
    <span className="muted">—</span>
  )
}
