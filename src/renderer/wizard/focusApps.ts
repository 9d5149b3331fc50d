/** Marks the apps list (src/renderer/apps/AppsPane.tsx) as where focus goes after a key is added. */
const APPS_LIST = '[data-focus-target="apps"]'

/**
 * Focuses the apps list as soon as it is on screen: after the wizard saved a key, the new team's
 * apps load a moment later, and that list is where the user goes next. Gives up, leaving focus
 * alone, when the user puts focus somewhere first. `onDone` is called either way. Returns the stop.
 */
export function focusAppsListWhenShown(onDone: () => void): () => void {
  const observer = new MutationObserver(() => attempt())
  const stop = () => {
    observer.disconnect()
    document.removeEventListener('focusin', movedOn)
  }
  const movedOn = () => {
    stop()
    onDone()
  }
  const attempt = () => {
    const list = document.querySelector<HTMLElement>(APPS_LIST)
    if (!list) return
    stop()
    list.focus()
    onDone()
  }
  observer.observe(document.body, { childList: true, subtree: true })
  document.addEventListener('focusin', movedOn)
  attempt()
  return stop
}
