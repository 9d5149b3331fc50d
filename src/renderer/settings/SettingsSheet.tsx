import { Info } from 'lucide-react'
import type { Appearance, BACKGROUND_REFRESH_BUDGET, Settings } from '../../shared/contract'
import { useAppInfo } from '../data/menus'
import { useClearCachedData } from '../data/radar'
import { useSettings } from '../data/settings'
import { Sheet, SheetError } from '../shell/Sheet'

/** The schema's bounds (the type checker holds them equal); the page loads no zod. */
const BUDGET = { min: 1, max: 50 } as const satisfies typeof BACKGROUND_REFRESH_BUDGET

const APPEARANCES: [Appearance, string][] = [
  ['system', 'System'],
  ['light', 'Light'],
  ['dark', 'Dark'],
]

const NOTIFICATIONS: [keyof Settings['notifications'], string][] = [
  ['buildProcessed', 'A build finished processing'],
  ['complianceNeeded', 'A build needs its export compliance answered'],
  ['expiringSoon', 'A TestFlight build expires soon'],
  ['keyStopped', 'A key stopped working'],
]

/** Ascent → Settings… (⌘,): every setting main keeps, saved as it changes. */
export function SettingsSheet(props: { onClose: () => void }) {
  const { state, update, error } = useSettings()
  const info = useAppInfo()
  const clearCache = useClearCachedData()
  const settings = state?.settings
  return (
    <Sheet title="Settings" className="settings-sheet" onClose={props.onClose}>
      <div className="sheet-body settings-body">
        <h2 className="sheet-title">Settings</h2>
        {state?.notice ? (
          <p className="settings-notice" role="status">
            <Info size={13} aria-hidden="true" /> {state.notice.message}
          </p>
        ) : null}
        <SheetError error={error} />
        {settings ? (
          <>
            <fieldset className="settings-group">
              <legend>Appearance</legend>
              <div className="settings-choices" role="radiogroup" aria-label="Appearance">
                {APPEARANCES.map(([value, label]) => (
                  <label key={value} className="settings-choice">
                    <input
                      type="radio"
                      name="appearance"
                      value={value}
                      checked={settings.appearance === value}
                      onChange={() => update({ appearance: value })}
                    />
                    {label}
                  </label>
                ))}
              </div>
            </fieldset>

            <fieldset className="settings-group">
              <legend>Background refresh</legend>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={settings.backgroundRefresh.enabled}
                  onChange={(event) =>
                    update({ backgroundRefresh: { enabled: event.target.checked } })
                  }
                />
                Refresh every team’s apps and builds in the background
              </label>
              <label className="settings-budget">
                <span>Use at most</span>
                <input
                  type="range"
                  min={BUDGET.min}
                  max={BUDGET.max}
                  value={settings.backgroundRefresh.budgetPercent}
                  disabled={!settings.backgroundRefresh.enabled}
                  aria-label="Share of each key’s hourly requests background refresh may use"
                  aria-valuetext={`${settings.backgroundRefresh.budgetPercent} percent`}
                  onChange={(event) =>
                    update({ backgroundRefresh: { budgetPercent: Number(event.target.value) } })
                  }
                />
                <output>{settings.backgroundRefresh.budgetPercent}%</output>
                <span className="settings-hint">of each key’s hourly requests</span>
              </label>
            </fieldset>

            <fieldset className="settings-group">
              <legend>Notify me when</legend>
              {NOTIFICATIONS.map(([kind, label]) => (
                <label key={kind} className="checkbox">
                  <input
                    type="checkbox"
                    checked={settings.notifications[kind]}
                    onChange={(event) =>
                      update({ notifications: { [kind]: event.target.checked } })
                    }
                  />
                  {label}
                </label>
              ))}
            </fieldset>

            <fieldset className="settings-group">
              <legend>Updates</legend>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={settings.updates.enabled}
                  onChange={(event) => update({ updates: { enabled: event.target.checked } })}
                />
                Check for updates automatically
              </label>
            </fieldset>

            {info ? (
              <fieldset className="settings-group">
                <legend>Where your data lives</legend>
                <dl className="settings-places">
                  <dt>Private keys</dt>
                  <dd>{info.secretStore}</dd>
                  <dt>Teams, settings and cache</dt>
                  <dd className="mono">{info.dataDir}</dd>
                </dl>
                <div className="settings-cache">
                  <button
                    type="button"
                    className="button-plain"
                    disabled={clearCache.isPending}
                    onClick={() => clearCache.mutate(null)}
                  >
                    Clear Cached Data
                  </button>
                  <span className="settings-hint" role="status">
                    {clearCache.isSuccess
                      ? 'Cleared: every team reads from App Store Connect again.'
                      : clearCache.isError
                        ? clearCache.error.message
                        : 'Keys are not touched.'}
                  </span>
                </div>
              </fieldset>
            ) : null}
          </>
        ) : null}
        <div className="sheet-actions">
          <button type="button" className="button-primary" onClick={props.onClose}>
            Done
          </button>
        </div>
      </div>
    </Sheet>
  )
}
