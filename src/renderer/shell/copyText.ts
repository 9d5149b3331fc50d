/**
 * Puts `text` on the clipboard through the page's own copy command: no clipboard permission is
 * needed (Ascent grants the page none), and it works the same in the app and the harness.
 */
export function copyText(text: string): void {
  const onCopy = (event: ClipboardEvent) => {
    event.clipboardData?.setData('text/plain', text)
    event.preventDefault()
  }
  document.addEventListener('copy', onCopy)
  try {
    document.execCommand('copy')
  } finally {
    document.removeEventListener('copy', onCopy)
  }
}
