import { CircleAlert, CircleCheck, KeyRound, LoaderCircle } from 'lucide-react'
import { useEffect, useState } from 'react'
import type { OrphanKey, TeamSummary } from '../../shared/contract'
import type { Diagnosis } from '../../shared/diagnosis'
import type { IpcError } from '../../shared/result'
import { ascent } from '../data/bridge'
import { Sheet } from '../shell/Sheet'

/** The team actions that ask or tell something: each a small sheet over the window. */
export type TeamSheet =
  | { kind: 'remove'; team: TeamSummary }
  | { kind: 'check'; team: TeamSummary }
  | { kind: 'adopt'; orphan: OrphanKey }
  | { kind: 'forget'; orphan: OrphanKey }

export interface TeamSheetsProps {
  sheet: TeamSheet
  onClose: () => void
  /** Something changed in main: the list of teams should be read again. */
  onChanged: () => void
  onRemoved: (teamId: string) => void
  onReplaceKey: (team: TeamSummary) => void
}

export function TeamSheets(props: TeamSheetsProps) {
  const { sheet } = props
  switch (sheet.kind) {
    case 'remove':
      return <RemoveSheet {...props} team={sheet.team} />
    case 'check':
      return <CheckSheet {...props} team={sheet.team} />
    case 'adopt':
      return <AdoptSheet {...props} orphan={sheet.orphan} />
    case 'forget':
      return <ForgetSheet {...props} orphan={sheet.orphan} />
  }
}

function ErrorLine(props: { error: IpcError | null }) {
  return props.error ? (
    <p className="sheet-error" role="alert">
      {props.error.message}
    </p>
  ) : null
}

function RemoveSheet(props: TeamSheetsProps & { team: TeamSummary }) {
  const { team } = props
  const [working, setWorking] = useState(false)
  const [error, setError] = useState<IpcError | null>(null)
  const remove = async () => {
    setWorking(true)
    const result = await ascent.teams.remove({ teamId: team.id })
    setWorking(false)
    if (!result.ok) {
      setError(result.error)
      return
    }
    props.onRemoved(team.id)
    props.onChanged()
    props.onClose()
  }
  return (
    <Sheet title={`Remove ${team.name}`} className="small-sheet" onClose={props.onClose}>
      <form
        className="sheet-body"
        onSubmit={(event) => {
          event.preventDefault()
          void remove()
        }}
      >
        <h2 className="sheet-title">Remove “{team.name}”?</h2>
        <p>
          Ascent deletes this key’s private key from the Keychain, the team’s settings, and
          everything it has cached for the team. Key <span className="mono">{team.keyId}</span>{' '}
          stays active in App Store Connect: revoke it there if nothing else uses it.
        </p>
        <ErrorLine error={error} />
        <div className="sheet-actions">
          <button type="button" className="button-secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button-destructive" disabled={working}>
            Remove
          </button>
        </div>
      </form>
    </Sheet>
  )
}

function CheckSheet(props: TeamSheetsProps & { team: TeamSummary }) {
  const { team, onChanged } = props
  const [outcome, setOutcome] = useState<
    { diagnosis: Diagnosis; error: null } | { diagnosis: null; error: IpcError } | null
  >(null)
  useEffect(() => {
    let current = true
    void ascent.teams.recheck({ teamId: team.id }).then((result) => {
      if (!current) return
      setOutcome(
        result.ok
          ? { diagnosis: result.value, error: null }
          : { diagnosis: null, error: result.error },
      )
      onChanged()
    })
    return () => {
      current = false
    }
  }, [team.id, onChanged])
  const diagnosis = outcome?.diagnosis
  const keyProblem =
    diagnosis &&
    !diagnosis.ok &&
    ['auth.rejected', 'input.private_key_invalid'].includes(diagnosis.code)
  return (
    <Sheet title={`Check ${team.name}`} className="small-sheet" onClose={props.onClose}>
      <div className="sheet-body">
        <h2 className="sheet-title">Check “{team.name}” with Apple</h2>
        <div aria-live="polite">
          {outcome === null ? (
            <p className="check-running">
              <LoaderCircle size={16} className="spin" aria-hidden="true" /> Asking App Store
              Connect…
            </p>
          ) : diagnosis ? (
            <div className={diagnosis.ok ? 'check-result check-ok' : 'check-result check-failed'}>
              <h3>
                {diagnosis.ok ? (
                  <CircleCheck size={16} aria-hidden="true" />
                ) : (
                  <CircleAlert size={16} aria-hidden="true" />
                )}
                {diagnosis.title}
              </h3>
              <p>{diagnosis.detail}</p>
              {diagnosis.hints.length > 0 ? (
                <ol>
                  {diagnosis.hints.map((hint) => (
                    <li key={hint}>{hint}</li>
                  ))}
                </ol>
              ) : null}
            </div>
          ) : (
            <ErrorLine error={outcome.error} />
          )}
        </div>
        <div className="sheet-actions">
          {keyProblem ? (
            <button
              type="button"
              className="button-secondary"
              onClick={() => {
                props.onClose()
                props.onReplaceKey(team)
              }}
            >
              <KeyRound size={13} aria-hidden="true" /> Re-import Key…
            </button>
          ) : null}
          <button type="button" className="button-primary" onClick={props.onClose}>
            Done
          </button>
        </div>
      </div>
    </Sheet>
  )
}

function AdoptSheet(props: TeamSheetsProps & { orphan: OrphanKey }) {
  const { orphan } = props
  const [name, setName] = useState(`Key ${orphan.keyId}`)
  const [error, setError] = useState<IpcError | null>(null)
  const adopt = async () => {
    const result = await ascent.teams.adoptOrphan({ account: orphan.account, name })
    if (!result.ok) {
      setError(result.error)
      return
    }
    props.onChanged()
    props.onClose()
  }
  return (
    <Sheet title={`Add key ${orphan.keyId}`} className="small-sheet" onClose={props.onClose}>
      <form
        className="sheet-body"
        onSubmit={(event) => {
          event.preventDefault()
          void adopt()
        }}
      >
        <h2 className="sheet-title">Add key {orphan.keyId} back</h2>
        <p>
          The Keychain holds this {orphan.keyType === 'team' ? 'team' : 'individual'} key, but
          Ascent has no team for it. Name it to add it back; Check Now then asks Apple about it.
        </p>
        <label className="field">
          Name
          <input
            type="text"
            value={name}
            maxLength={80}

            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <ErrorLine error={error} />
        <div className="sheet-actions">
          <button type="button" className="button-secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={!name.trim()}>
            Add Team
          </button>
        </div>
      </form>
    </Sheet>
  )
}

function ForgetSheet(props: TeamSheetsProps & { orphan: OrphanKey }) {
  const { orphan } = props
  const [error, setError] = useState<IpcError | null>(null)
  const forget = async () => {
    const result = await ascent.teams.forgetOrphan({ account: orphan.account })
    if (!result.ok) {
      setError(result.error)
      return
    }
    props.onChanged()
    props.onClose()
  }
  return (
    <Sheet title={`Forget key ${orphan.keyId}`} className="small-sheet" onClose={props.onClose}>
      <form
        className="sheet-body"
        onSubmit={(event) => {
          event.preventDefault()
          void forget()
        }}
      >
        <h2 className="sheet-title">Forget key {orphan.keyId}?</h2>
        <p>
          Ascent deletes this private key from the Keychain. Without a copy of{' '}
          <span className="mono">AuthKey_{orphan.keyId}.p8</span> it cannot be added again; Apple
          keeps no copy.
        </p>
        <ErrorLine error={error} />
        <div className="sheet-actions">
          <button type="button" className="button-secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button-destructive">
            Forget Key
          </button>
        </div>
      </form>
    </Sheet>
  )
}
