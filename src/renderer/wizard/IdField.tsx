import { CircleX, TriangleAlert } from 'lucide-react'
import { useId, type ReactNode, type RefObject } from 'react'
import type { IdProblem } from '../../shared/keys'

/** A monospace ID field with its help text and its inline error or warning. */
export function IdField({
  inputRef,
  ...props
}: {
  label: string
  value: string
  onChange: (value: string) => void
  placeholder: string
  help: ReactNode
  problem: IdProblem | null
  /** Marks the field invalid without a message of its own (the swap notice speaks for both). */
  invalid?: boolean
  inputRef?: RefObject<HTMLInputElement | null>
  /** A one-click fix shown with the message. */
  action?: ReactNode
}) {
  const id = useId()
  const helpId = `${id}-help`
  const problemId = `${id}-problem`
  const isError = props.invalid === true || props.problem?.severity === 'error'
  return (
    <div className="wizard-field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        ref={inputRef}
        className="wizard-input mono"
        value={props.value}
        placeholder={props.placeholder}
        onChange={(event) => props.onChange(event.target.value)}
        aria-invalid={isError}
        aria-describedby={props.problem ? `${problemId} ${helpId}` : helpId}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        autoCorrect="off"
      />
      {props.problem ? (
        <p id={problemId} className={`wizard-field-problem wizard-field-${props.problem.severity}`}>
          {props.problem.severity === 'error' ? (
            <CircleX size={13} aria-hidden="true" />
          ) : (
            <TriangleAlert size={13} aria-hidden="true" />
          )}
          <span>
            <span className="visually-hidden">
              {props.problem.severity === 'error' ? 'Error: ' : 'Warning: '}
            </span>
            {props.problem.message}
          </span>
          {props.action}
        </p>
      ) : null}
      <p id={helpId} className="wizard-help">
        {props.help}
      </p>
    </div>
  )
}
