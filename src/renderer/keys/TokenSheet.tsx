import { ClipboardCopy } from 'lucide-react'
import { useState } from 'react'
import type { TeamSummary, TokenPreset } from '../../shared/contract'
import { TOKEN_PRESETS } from '../../shared/token-presets'
import { useCopyToken } from '../data/keyLife'
import { errorOf } from '../data/teams'
import { Sheet, SheetError } from '../shell/Sheet'
import { CodeSnippet } from './CopyButton'
import { clockText } from './format'

const PRESET_ORDER: TokenPreset[] = ['apps', 'builds', 'testflight']

/** Apple allows 20 minutes at most; shorter is safer for a token pasted into a terminal. */
const LIFETIMES_MINUTES = [5, 10, 20]

/**
 * Copy Token…: a read-only token for the requests picked, put on the clipboard by main and
 * cleared when it expires. The page shows the curl line (which reads the clipboard), never the
 * token.
 */
export function TokenSheet(props: { team: TeamSummary; onClose: () => void }) {
  const [presets, setPresets] = useState<TokenPreset[]>(['apps'])
  const [minutes, setMinutes] = useState(20)
  const copy = useCopyToken()
  const error = errorOf(copy.error)
  const answer = copy.data
  const toggle = (preset: TokenPreset, on: boolean) =>
    setPresets((current) =>
      on ? [...current, preset] : current.filter((candidate) => candidate !== preset),
    )

  return (
    <Sheet
      title={`Copy token for ${props.team.name}`}
      className="small-sheet"
      onClose={props.onClose}
    >
      <form
        className="sheet-body"
        onSubmit={(event) => {
          event.preventDefault()
          if (presets.length === 0 || copy.isPending) return
          copy.mutate({ teamId: props.team.id, presets, lifetimeSeconds: minutes * 60 })
        }}
      >
        <h2 className="sheet-title">Copy a token for curl</h2>
        <p>
          A read-only token signed with the key of “{props.team.name}”, for the requests you pick.
          Ascent puts it on the clipboard and clears it when it expires.
        </p>
        <fieldset className="token-presets">
          <legend>Allowed requests</legend>
          {PRESET_ORDER.map((preset) => (
            <label key={preset} className="token-preset">
              <input
                type="checkbox"
                checked={presets.includes(preset)}
                onChange={(event) => toggle(preset, event.target.checked)}
              />
              {TOKEN_PRESETS[preset].label}{' '}
              <span className="mono details-muted">{TOKEN_PRESETS[preset].scope.join(', ')}</span>
            </label>
          ))}
        </fieldset>
        <label className="token-lifetime">
          Expires after
          <select value={minutes} onChange={(event) => setMinutes(Number(event.target.value))}>
            {LIFETIMES_MINUTES.map((value) => (
              <option key={value} value={value}>
                {value} minutes
              </option>
            ))}
          </select>
        </label>
        <div aria-live="polite">
          {answer ? (
            <div className="export-done" role="status">
              <p>
                The token is on the clipboard until {clockText(answer.expiresAt)}, for{' '}
                {answer.scope.join(', ')}.
              </p>
              <CodeSnippet title="Try it" text={answer.curl} copyLabel="Copy the curl command" />
            </div>
          ) : null}
          {presets.length === 0 ? (
            <p className="sheet-error">Pick at least one kind of request.</p>
          ) : (
            <SheetError error={error} />
          )}
        </div>
        <div className="sheet-actions">
          <button type="button" className="button-secondary" onClick={props.onClose}>
            {answer ? 'Done' : 'Cancel'}
          </button>
          <button
            type="submit"
            className="button-primary"
            disabled={presets.length === 0 || copy.isPending}
          >
            <ClipboardCopy size={13} aria-hidden="true" /> {answer ? 'Copy Again' : 'Copy Token'}
          </button>
        </div>
      </form>
    </Sheet>
  )
}
