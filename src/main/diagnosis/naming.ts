import type { KeyType } from '../../shared/keys'

/**
 * A name to suggest for a new team, from what the check saw rather than from IDs (Apple's API
 * names no team): the organisation in the apps' common bundle-ID prefix (`com.northwind.mail`,
 * `com.northwind.notes` → "Northwind"), else the words every app name starts with ("Contoso Kart",
 * "Contoso Chess" → "Contoso"), else a plain description. A name already taken gets a number.
 */

export interface SeenApp {
  name: string
  bundleId: string
}

/** Reverse-DNS labels that name a registry, not an organisation (`com`, `co.uk`, `io`, ...). */
const REGISTRY_LABELS = new Set([
  'com',
  'org',
  'net',
  'edu',
  'gov',
  'io',
  'co',
  'app',
  'dev',
  'me',
  'biz',
  'info',
  'inc',
  'ltd',
  'tech',
  'studio',
  'xyz',
])

export function suggestTeamName(input: {
  keyType: KeyType
  /** The apps the key sees; null when they could not be listed. */
  apps: readonly SeenApp[] | null
  /** Names of the teams already saved. */
  taken: readonly string[]
}): string {
  const apps = input.apps ?? []
  const organisation = fromBundleIds(apps.map((app) => app.bundleId)) ?? fromAppNames(apps)
  const base = organisation
    ? input.keyType === 'individual'
      ? `${organisation} (individual key)`
      : organisation
    : input.keyType === 'individual'
      ? 'Individual key'
      : 'App Store Connect team'
  return unique(base, input.taken)
}

function fromBundleIds(bundleIds: readonly string[]): string | null {
  const split = bundleIds
    .map((id) => id.trim().toLowerCase().split('.'))
    .filter((parts) => parts.length >= 2 && parts.every(Boolean))
  if (split.length === 0) return null
  // An app's own last label is never the organisation: `com.acme.app` alone gives `com.acme`.
  let prefix = (split[0] ?? []).slice(0, -1)
  for (const parts of split.slice(1)) {
    let shared = 0
    while (shared < prefix.length && shared < parts.length - 1 && prefix[shared] === parts[shared])
      shared += 1
    prefix = prefix.slice(0, shared)
  }
  const label = prefix.find((part) => part.length > 2 && !REGISTRY_LABELS.has(part))
  return label ? words(label) : null
}

function fromAppNames(apps: readonly SeenApp[]): string | null {
  const names = apps.map((app) => app.name.trim().split(/\s+/)).filter((parts) => parts.length > 1)
  if (names.length < 2 || names.length !== apps.length) return null
  let prefix = (names[0] ?? []).slice(0, -1)
  for (const parts of names.slice(1)) {
    let shared = 0
    while (shared < prefix.length && shared < parts.length - 1 && prefix[shared] === parts[shared])
      shared += 1
    prefix = prefix.slice(0, shared)
  }
  return prefix.length > 0 ? prefix.join(' ') : null
}

/** `northwind` → `Northwind`, `north-wind_labs` → `North Wind Labs`. */
function words(label: string): string {
  return label
    .split(/[-_]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ')
}

function unique(base: string, taken: readonly string[]): string {
  const used = new Set(taken.map((name) => name.trim().toLowerCase()))
  if (!used.has(base.toLowerCase())) return base
  for (let n = 2; ; n += 1) {
    const candidate = `${base} ${n}`
    if (!used.has(candidate.toLowerCase())) return candidate
  }
}
