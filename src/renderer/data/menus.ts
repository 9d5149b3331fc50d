/**
 * Context menus: on the Mac, main shows them natively (`menu:app`, `menu:build`, `menu:team`);
 * in the browser harness, which has none, the page shows the same items itself
 * (`shell/useContextMenu.tsx`). `app:info` says which.
 */
import { useQuery } from '@tanstack/react-query'
import type { AppInfo } from '../../shared/contract'
import { ascent } from './bridge'
import { appInfoKey } from './queryKeys'

/** What a context menu is about. */
export type MenuTarget =
  | { kind: 'app'; teamId: string; appId: string }
  | { kind: 'build'; teamId: string; appId: string; buildId: string }
  | { kind: 'team'; teamId: string }

export function useAppInfo(): AppInfo | null {
  const query = useQuery({
    queryKey: appInfoKey,
    queryFn: async () => {
      const result = await ascent.app.info()
      return result.ok ? result.value : null
    },
    staleTime: Infinity,
  })
  return query.data ?? null
}

/** Asks main for the native menu of `target`; it carries out the choice itself. */
export function showNativeMenu(target: MenuTarget): void {
  if (target.kind === 'app') void ascent.menu.app({ teamId: target.teamId, appId: target.appId })
  if (target.kind === 'build') {
    const { teamId, appId, buildId } = target
    void ascent.menu.build({ teamId, appId, buildId })
  }
  if (target.kind === 'team') void ascent.menu.team({ teamId: target.teamId })
}
