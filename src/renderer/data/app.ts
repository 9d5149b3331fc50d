/** The app itself: links opened in the browser, and commands from the app menu. */
import type { AppCommand } from '../../shared/contract'
import { ascent } from './bridge'

/** Opens an App Store Connect or Apple developer page in the browser (main checks the URL). */
export function openExternal(url: string): void {
  void ascent.app.openExternal({ url })
}

/** Commands main sends from the app menu; returns the unsubscribe. */
export function onAppCommand(listener: (command: AppCommand) => void): () => void {
  return ascent.app.onCommand(listener)
}
