/** "5 Dec 2026 at 14:03", in the user's locale: when something happened to a key. */
export function dateTimeText(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** "14:03:20": when a clipboard is cleared, to the second. */
export function clockText(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
}
