import type { AppActivity, AppRow } from '../../shared/contract'

export type AppSort = 'name' | 'bundleId' | 'newestBuild'

export const APP_SORT_LABELS: Record<AppSort, string> = {
  name: 'Name',
  bundleId: 'Bundle ID',
  newestBuild: 'Newest Build',
}

/** Every word of the query must appear in the name, bundle ID or SKU. */
export function matchesQuery(app: AppRow, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const text = `${app.name}\n${app.bundleId}\n${app.sku ?? ''}`.toLowerCase()
  return words.every((word) => text.includes(word))
}

export function visibleApps(
  apps: readonly AppRow[],
  activity: ReadonlyMap<string, AppActivity>,
  options: { query: string; sort: AppSort; attentionOnly: boolean },
): AppRow[] {
  const shown = apps.filter(
    (app) =>
      matchesQuery(app, options.query) &&
      (!options.attentionOnly || (activity.get(app.id)?.attention.total ?? 0) > 0),
  )
  const byName = (a: AppRow, b: AppRow) => a.name.localeCompare(b.name)
  if (options.sort === 'bundleId') return shown.sort((a, b) => a.bundleId.localeCompare(b.bundleId))
  if (options.sort === 'newestBuild') {
    const uploaded = (app: AppRow) => activity.get(app.id)?.latestBuild?.uploadedAt ?? -Infinity
    return shown.sort((a, b) => uploaded(b) - uploaded(a) || byName(a, b))
  }
  return shown.sort(byName)
}
