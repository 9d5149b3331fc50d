/**
 * The context menus of apps, builds and teams, declared once: main builds the native menu from
 * these (src/main/context-menus.ts), and the browser harness, which has no native menus, shows
 * the same items in the page. Each item copies a text, opens an App Store Connect page, or asks
 * for a team action.
 */
import type { AppRow, BuildRow, TeamAction } from './contract'

export type MenuEntry =
  | { kind: 'copy'; label: string; text: string }
  | { kind: 'open'; label: string; url: string }
  | { kind: 'teamAction'; label: string; action: TeamAction; destructive?: boolean }
  | { kind: 'separator' }

const ASC_BASE = 'https://appstoreconnect.apple.com'

/** App Store Connect's path segment for a platform's TestFlight pages. */
const TESTFLIGHT_PATHS: Record<string, string> = {
  IOS: 'ios',
  MAC_OS: 'macos',
  TV_OS: 'appletvos',
  VISION_OS: 'visionos',
}

/** The app's page in App Store Connect. */
export function appPageUrl(appId: string): string {
  return `${ASC_BASE}/apps/${appId}`
}

/** The build's TestFlight page in App Store Connect. */
export function buildPageUrl(appId: string, build: Pick<BuildRow, 'id' | 'platform'>): string {
  const platform = (build.platform && TESTFLIGHT_PATHS[build.platform]) ?? 'ios'
  return `${ASC_BASE}/apps/${appId}/testflight/${platform}/${build.id}`
}

/** "5.9 (4998)": how a build is named in App Store Connect and in release notes. */
export function versionAndBuildText(build: Pick<BuildRow, 'marketingVersion' | 'buildNumber'>) {
  return build.marketingVersion
    ? `${build.marketingVersion} (${build.buildNumber})`
    : build.buildNumber
}

/** An app's menu. The Apple ID is the app's ID in App Store Connect. */
export function appMenu(app: AppRow): MenuEntry[] {
  return [
    { kind: 'copy', label: 'Copy Name', text: app.name },
    { kind: 'copy', label: 'Copy Bundle ID', text: app.bundleId },
    { kind: 'copy', label: 'Copy Apple ID', text: app.id },
    ...(app.sku ? [{ kind: 'copy' as const, label: 'Copy SKU', text: app.sku }] : []),
    { kind: 'separator' },
    { kind: 'open', label: 'Open in App Store Connect', url: appPageUrl(app.id) },
  ]
}

/** A build's menu. */
export function buildMenu(appId: string, build: BuildRow): MenuEntry[] {
  return [
    {
      kind: 'copy',
      label: `Copy “${versionAndBuildText(build)}”`,
      text: versionAndBuildText(build),
    },
    { kind: 'copy', label: 'Copy Build Number', text: build.buildNumber },
    { kind: 'copy', label: 'Copy Build ID', text: build.id },
    { kind: 'separator' },
    { kind: 'open', label: 'Open in TestFlight', url: buildPageUrl(appId, build) },
  ]
}

/** A saved team's menu, the same for every team: its actions, carried out by the window's sheets. */
export const TEAM_MENU: readonly MenuEntry[] = [
  { kind: 'teamAction', label: 'Details…', action: 'details' },
  { kind: 'teamAction', label: 'Check Now', action: 'checkNow' },
  { kind: 'separator' },
  { kind: 'teamAction', label: 'Rename', action: 'rename' },
  { kind: 'teamAction', label: 'Replace Key…', action: 'replaceKey' },
  { kind: 'teamAction', label: 'Export Key…', action: 'exportKey' },
  { kind: 'teamAction', label: 'Copy Token…', action: 'copyToken' },
  { kind: 'separator' },
  { kind: 'teamAction', label: 'Remove…', action: 'remove', destructive: true },
]
