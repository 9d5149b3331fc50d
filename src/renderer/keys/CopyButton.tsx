import { Check, Copy } from 'lucide-react'
import { useEffect, useState } from 'react'
import { copyText } from '../shell/copyText'

/** How long the button says "Copied" after a click. */
const COPIED_MS = 1_500

/**
 * Copies a public value (an ID, a fingerprint, a command without a secret) and says so for a
 * moment. Secrets never pass here: main puts those on the clipboard itself.
 */
export function CopyButton(props: { text: string; label: string }) {
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(false), COPIED_MS)
    return () => clearTimeout(timer)
  }, [copied])
  return (
    <button
      type="button"
      className="button-plain button-small copy-button"
      aria-label={props.label}
      title={props.label}
      onClick={() => {
        copyText(props.text)
        setCopied(true)
      }}
    >
      {copied ? <Check size={12} aria-hidden="true" /> : <Copy size={12} aria-hidden="true" />}
      <span aria-live="polite">{copied ? 'Copied' : 'Copy'}</span>
    </button>
  )
}

/** A command or snippet to paste elsewhere (no secret in it), under its title, with Copy. */
export function CodeSnippet(props: { title: string; text: string; copyLabel: string }) {
  return (
    <div className="export-snippet">
      <div className="export-snippet-head">
        <span>{props.title}</span>
        <CopyButton text={props.text} label={props.copyLabel} />
      </div>
      <pre className="mono">{props.text}</pre>
    </div>
  )
}
