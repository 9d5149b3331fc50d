import { CircleAlert, CircleCheck, KeyRound, LoaderCircle } from 'lucide-react'
import { useEffect, useState, type ReactNode } from 'react'
import type { OrphanKey, TeamSummary } from '../../shared/contract'
import type { IpcError } from '../../shared/result'
import {
  errorOf,
  useAdoptOrphan,
  useForgetOrphan,
  useRecheckTeam,
  useRemoveTeam,
} from '../data/teams'
import { concernsKey, problemOfDiagnosis } from '../diagnosis/problem'
import { ProblemText } from '../diagnosis/ProblemText'
import { DetailsSheet } from '../keys/DetailsSheet'
import { ExportSheet } from '../keys/ExportSheet'
import { TokenSheet } from '../keys/TokenSheet'
import { Sheet, SheetError } from '../shell/Sheet'

/** The team actions that ask or tell something: each a small sheet over the window. */
export type TeamSheet =
  | { kind: 'details'; team: TeamSummary }
  | { kind: 'export'; team: TeamSummary }
  | { kind: 'token'; team: TeamSummary }
  | { kind: 'remove'; team: TeamSummary }
  | { kind: 'check'; team: TeamSummary }
  | { kind: 'adopt'; orphan: OrphanKey }
  | { kind: 'forget'; orphan: OrphanKey }

export interface TeamSheetsProps {
  sheet: TeamSheet
  onClose: () => void
  /** Another sheet in this one's place (the details sheet hands over to the others). */
  onOpen: (sheet: TeamSheet) => void
  onRemoved: (teamId: string) => void
  /** Re-import a saved team's own key (it was revoked or lost). */
  onReplaceKey: (team: TeamSummary) => void
  /** Replace the team's key with a new one (rotation). */
  onRotateKey: (team: TeamSummary) => void
}

export function TeamSheets(props: TeamSheetsProps) {
  const { sheet } = props
  switch (sheet.kind) {
    case 'details': {
      const { team } = sheet
      return (
        <DetailsSheet
          team={team}
          onClose={props.onClose}
          onCheckNow={() => props.onOpen({ kind: 'check', team })}
          onExportKey={() => props.onOpen({ kind: 'export', team })}
          onCopyToken={() => props.onOpen({ kind: 'token', team })}
          onReplaceKey={() => {
            props.onClose()
            props.onRotateKey(team)
          }}
        />
      )
    }
    case 'export':
      return <ExportSheet team={sheet.team} onClose={props.onClose} />
    case 'token':
      return <TokenSheet team={sheet.team} onClose={props.onClose} />
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

/**
 * A sheet that asks before it does one thing in main. The action runs once at a time; when it
 * succeeds (the teams are read again) the sheet closes, when it fails its error is shown.
 */
function ActionSheet(props: {
  sheetProps: TeamSheetsProps
  title: string
  heading: ReactNode
  children: ReactNode
  submitLabel: string
  destructive?: boolean
  canSubmit?: boolean
  action: () => Promise<unknown>
  onDone?: () => void
}) {
  const { onClose } = props.sheetProps
  const [working, setWorking] = useState(false)
  const [error, setError] = useState<IpcError | null>(null)
  const submit = async () => {
    setWorking(true)
    try {
      await props.action()
    } catch (failure) {
      setError(errorOf(failure))
      return
    } finally {
      setWorking(false)
    }
    props.onDone?.()
    onClose()
  }
  return (
    <Sheet title={props.title} className="small-sheet" onClose={onClose}>
      <form
        className="sheet-body"
        onSubmit={(event) => {
          event.preventDefault()
          if (!working) void submit()
        }}
      >
        <h2 className="sheet-title">{props.heading}</h2>
        {props.children}
        <SheetError error={error} />
        <div className="sheet-actions">
          <button type="button" className="button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={props.destructive ? 'button-destructive' : 'button-primary'}
            disabled={working || props.canSubmit === false}
          >
            {props.submitLabel}
          </button>
        </div>
      </form>
    </Sheet>
  )
}

function RemoveSheet(props: TeamSheetsProps & { team: TeamSummary }) {
  const { team } = props
  const remove = useRemoveTeam()
  return (
    <ActionSheet
      sheetProps={props}
      title={`Remove ${team.name}`}
      heading={`Remove “${team.name}”?`}
      submitLabel="Remove"
      destructive
      action={() => remove.mutateAsync({ teamId: team.id })}
      onDone={() => props.onRemoved(team.id)}
    >
      <p>
        Ascent deletes this key’s private key from the Keychain, the team’s settings, and everything
        it has cached for the team. Key <span className="mono">{team.keyId}</span> stays active in
        App Store Connect: revoke it there if nothing else uses it.
      </p>
    </ActionSheet>
  )
}

function CheckSheet(props: TeamSheetsProps & { team: TeamSummary }) {
  const { team } = props
  const recheck = useRecheckTeam()
  const { mutate } = recheck
  useEffect(() => mutate({ teamId: team.id }), [team.id, mutate])
  const diagnosis = recheck.data ?? null
  const problem = diagnosis && problemOfDiagnosis(diagnosis)
  const outcome = recheck.isPending || recheck.isIdle ? null : { error: errorOf(recheck.error) }
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
          ) : diagnosis && problem ? (
            <div className={diagnosis.ok ? 'check-result check-ok' : 'check-result check-failed'}>
              <ProblemText
                problem={problem}
                icon={
                  diagnosis.ok ? (
                    <CircleCheck size={16} aria-hidden="true" />
                  ) : (
                    <CircleAlert size={16} aria-hidden="true" />
                  )
                }
              />
            </div>
          ) : (
            <SheetError error={outcome.error} />
          )}
        </div>
        <div className="sheet-actions">
          {problem && concernsKey(problem) ? (
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
  const adopt = useAdoptOrphan()
  return (
    <ActionSheet
      sheetProps={props}
      title={`Add key ${orphan.keyId}`}
      heading={`Add key ${orphan.keyId} back`}
      submitLabel="Add Team"
      canSubmit={name.trim() !== ''}
      action={() => adopt.mutateAsync({ account: orphan.account, name })}
    >
      <p>
        The Keychain holds this {orphan.keyType === 'team' ? 'team' : 'individual'} key, but Ascent
        has no team for it. Name it to add it back; Check Now then asks Apple about it.
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
    </ActionSheet>
  )
}

function ForgetSheet(props: TeamSheetsProps & { orphan: OrphanKey }) {
  const { orphan } = props
  const forget = useForgetOrphan()
  return (
    <ActionSheet
      sheetProps={props}
      title={`Forget key ${orphan.keyId}`}
      heading={`Forget key ${orphan.keyId}?`}
      submitLabel="Forget Key"
      destructive
      action={() => forget.mutateAsync({ account: orphan.account })}
    >
      <p>
        Ascent deletes this private key from the Keychain. Without a copy of{' '}
        <span className="mono">AuthKey_{orphan.keyId}.p8</span> it cannot be added again; Apple
        keeps no copy.
      </p>
    </ActionSheet>
  )
}
