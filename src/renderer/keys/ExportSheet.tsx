import { ClipboardCopy, LoaderCircle, Save, ShieldAlert } from 'lucide-react'
import { useState } from 'react'
import type {
  ExportAnswer,
  ExportDestination,
  ExportFormat,
  ExportOptions,
  TeamSummary,
} from '../../shared/contract'
import { useExportKey, useExportOptions } from '../data/keyLife'
import { errorOf } from '../data/teams'
import { Sheet, SheetError } from '../shell/Sheet'
import { CodeSnippet, CopyButton } from './CopyButton'
import { clockText } from './format'

/**
 * Export Key…: fastlane's JSON, the .p8, or the CI variables, to a file or the clipboard. The
 * sheet names what leaves the Keychain before anything does; main then asks for Touch ID, shows
 * the save dialog and writes, or fills the clipboard and empties it a minute later.
 */
export function ExportSheet(props: { team: TeamSummary; onClose: () => void }) {
  const options = useExportOptions(props.team.id)
  const error = errorOf(options.error)
  return (
    <Sheet
      title={`Export key of ${props.team.name}`}
      className="export-sheet"
      onClose={props.onClose}
    >
      <div className="sheet-body">
        <h2 className="sheet-title">Export the key of “{props.team.name}”</h2>
        {options.data ? (
          <ExportForm options={options.data} onClose={props.onClose} />
        ) : error ? (
          <>
            <SheetError error={error} />
            <div className="sheet-actions">
              <button type="button" className="button-primary" onClick={props.onClose}>
                Close
              </button>
            </div>
          </>
        ) : (
          <p className="check-running">
            <LoaderCircle size={16} className="spin" aria-hidden="true" /> Reading the key…
          </p>
        )}
      </div>
    </Sheet>
  )
}

function ExportForm(props: { options: ExportOptions; onClose: () => void }) {
  const { options } = props
  const [format, setFormat] = useState<ExportFormat>('fastlane')
  const exporter = useExportKey()
  const [answer, setAnswer] = useState<Exclude<ExportAnswer, { status: 'canceled' }> | null>(null)
  const choice = options.choices.find((candidate) => candidate.format === format)
  const error = errorOf(exporter.error)

  const run = (destination: ExportDestination) =>
    exporter.mutate(
      { teamId: options.teamId, format, destination },
      // A canceled save dialog changes nothing: what was done before still stands.
      { onSuccess: (result) => result.status !== 'canceled' && setAnswer(result) },
    )

  return (
    <>
      <fieldset className="export-formats">
        <legend className="visually-hidden">Format</legend>
        {options.choices.map((candidate) => (
          <label key={candidate.format} className="export-format">
            <input
              type="radio"
              name="export-format"
              value={candidate.format}
              checked={candidate.format === format}
              onChange={() => {
                setFormat(candidate.format)
                setAnswer(null)
                exporter.reset()
              }}
            />
            <span>
              <span className="export-format-title">{candidate.title}</span>
              <span className="export-format-purpose">{candidate.purpose}</span>
            </span>
          </label>
        ))}
      </fieldset>

      {format === 'env' ? <CiSetupPanel options={options} /> : null}

      {choice ? (
        <p className="export-leaves">
          <ShieldAlert size={14} aria-hidden="true" />
          <span>
            {choice.leaves} Save… writes <span className="mono">{choice.fileName}</span> (readable
            only by you) where you choose; Copy puts {lowerFirst(choice.copies)} on the clipboard
            for {options.clipboardSeconds} seconds.
          </span>
        </p>
      ) : null}

      <div aria-live="polite">
        {answer ? <ExportDone answer={answer} /> : null}
        <SheetError error={error} />
      </div>

      <div className="sheet-actions">
        <button type="button" className="button-secondary" onClick={props.onClose}>
          {answer ? 'Done' : 'Cancel'}
        </button>
        <button
          type="button"
          className="button-secondary"
          disabled={exporter.isPending}
          onClick={() => run('clipboard')}
        >
          <ClipboardCopy size={13} aria-hidden="true" /> Copy
        </button>
        <button
          type="button"
          className="button-primary"
          disabled={exporter.isPending}
          onClick={() => run('file')}
        >
          <Save size={13} aria-hidden="true" /> Save…
        </button>
      </div>
    </>
  )
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '')
}

/** The three variables (the IDs' values shown), a GitHub Actions job, and `gh secret set`. */
function CiSetupPanel(props: { options: ExportOptions }) {
  const { ci } = props.options
  const commands = ci.ghSecretCommands.join('\n')
  return (
    <section className="export-ci" aria-label="CI setup">
      <dl className="details-facts">
        {ci.variables.map((variable) => (
          <div key={variable.name} className="details-fact-row">
            <dt className="mono">{variable.name}</dt>
            <dd>
              {variable.value ? (
                <>
                  <span className="mono details-value">{variable.value}</span>
                  <CopyButton text={variable.value} label={`Copy ${variable.name}`} />
                </>
              ) : (
                <span className="details-muted">The private key, base64: Save… or Copy below</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <CodeSnippet
        title="GitHub Actions"
        text={ci.githubActions}
        copyLabel="Copy the GitHub Actions job"
      />
      <CodeSnippet
        title="Repository secrets for the IDs"
        text={commands}
        copyLabel="Copy the gh secret commands"
      />
    </section>
  )
}

function ExportDone(props: { answer: Exclude<ExportAnswer, { status: 'canceled' }> }) {
  const { answer } = props
  const commands = answer.ghSecretCommands.join('\n')
  return (
    <div className="export-done" role="status">
      {answer.status === 'saved' ? (
        <p>
          Saved to <span className="mono">{answer.path}</span>, readable only by you.
        </p>
      ) : (
        <p>
          On the clipboard until {clockText(answer.clearsAt)}; Ascent clears it then if it still
          holds the key.
        </p>
      )}
      {commands ? (
        <CodeSnippet
          title="Then store the key as a repository secret"
          text={commands}
          copyLabel="Copy the commands"
        />
      ) : null}
    </div>
  )
}
