/**
 * The user's settings: main keeps them (`settings.json`); the page reads them, saves a change,
 * and follows `settings:changed`, whoever made the change.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef } from 'react'
import type { Settings, SettingsPatch, SettingsState } from '../../shared/contract'
import type { IpcError } from '../../shared/result'
import { ascent } from './bridge'
import { settingsKey } from './queryKeys'
import { errorOf, IpcFailure } from './teams'

export interface SettingsHook {
  state: SettingsState | undefined
  /** Saves a change; the sheet shows it at once and main's answer settles it. */
  update: (patch: SettingsPatch) => void
  /** Why the last change was not saved. */
  error: IpcError | null
}

/** `settings` with `patch` applied, as main will save it: groups are merged field by field. */
function patched(settings: Settings, patch: SettingsPatch): Settings {
  return {
    appearance: patch.appearance ?? settings.appearance,
    updates: { ...settings.updates, ...patch.updates },
    backgroundRefresh: { ...settings.backgroundRefresh, ...patch.backgroundRefresh },
    notifications: { ...settings.notifications, ...patch.notifications },
  }
}

export function useSettings(): SettingsHook {
  const client = useQueryClient()
  /** Changes sent and not yet answered: what main says is shown with these still on top. */
  const outstanding = useRef<SettingsPatch[]>([])
  /**
   * main's answers to this page's changes, already shown. Their `settings:changed` echoes may
   * arrive after a later answer (the harness sends events and answers on separate connections):
   * an echo of one is never news.
   */
  const answered = useRef(new Set<string>())
  const query = useQuery({
    queryKey: settingsKey,
    queryFn: async () => {
      const result = await ascent.settings.get()
      if (!result.ok) throw new IpcFailure(result.error)
      return result.value
    },
  })
  const show = useCallback(
    (settings: Settings) =>
      client.setQueryData<SettingsState>(settingsKey, (state) =>
        state ? { ...state, settings: outstanding.current.reduce(patched, settings) } : state,
      ),
    [client],
  )
  useEffect(
    () =>
      ascent.settings.onChanged((settings) => {
        if (!answered.current.has(JSON.stringify(settings))) show(settings)
      }),
    [show],
  )
  const mutation = useMutation({
    mutationFn: async (patch: SettingsPatch) => {
      const result = await ascent.settings.update(patch)
      if (!result.ok) throw new IpcFailure(result.error)
      return result.value
    },
    // A control shows its new value at once; main's answer settles it.
    onMutate: (patch) => {
      outstanding.current = [...outstanding.current, patch]
      client.setQueryData<SettingsState>(settingsKey, (state) =>
        state ? { ...state, settings: patched(state.settings, patch) } : state,
      )
    },
    onSettled: (settings, _error, patch) => {
      outstanding.current = outstanding.current.filter((pending) => pending !== patch)
      if (settings) {
        answered.current.add(JSON.stringify(settings))
        show(settings)
      } else void client.invalidateQueries({ queryKey: settingsKey })
    },
  })
  return {
    state: query.data,
    update: mutation.mutate,
    error: errorOf(mutation.error ?? query.error),
  }
}
