import { z } from 'zod'
import { resource } from './define'

export interface BuildRow {
  id: string
  /** CFBundleVersion. */
  buildNumber: string
  /** CFBundleShortVersionString. */
  marketingVersion: string | null
  platform: string | null
  uploadedAt: number
  expiresAt: number | null
  expired: boolean
  /** `PROCESSING`, `VALID`, `FAILED`, `INVALID` (or `UNKNOWN` for a state Apple added since). */
  processingState: string
  /** null: export compliance not answered. */
  usesNonExemptEncryption: boolean | null
  /** `INTERNAL_ONLY` or `APP_STORE_ELIGIBLE`. */
  audience: string | null
  minOsVersion: string | null
  internalState: string | null
  externalState: string | null
}

/**
 * Some of an app's builds, newest first, from row `from` of the whole list on. Main keeps Apple's
 * cursors; a screen only ever asks for the page after the last one it has (`next`).
 */
export interface BuildsPage {
  /** One page (200 builds), or every build from `from` on when they are all loaded (or asked for). */
  builds: BuildRow[]
  /** How many builds the app has, as Apple counts them; null when it did not say. */
  total: number | null
  /** Where the next page starts; null when this page reaches the last build. */
  next: number | null
  /** Main holds every build of the app: the rest of the list costs no request. */
  complete: boolean
}

export interface BuildDetail extends BuildRow {
  lsMinimumSystemVersion: string | null
  autoNotifyEnabled: boolean | null
  iconTemplateUrl: string | null
  appStoreVersion: {
    id: string
    versionString: string
    platform: string
    state: string | null
  } | null
}

/** A TestFlight group that has the build. */
export interface TestFlightGroup {
  id: string
  name: string
  isInternal: boolean
  /** Testers in the group, as Apple counts them; null when Apple did not say. */
  testers: number | null
  /** An internal group that gets every new build on its own. */
  hasAccessToAllBuilds: boolean
  /** The group's public TestFlight link, when it has one turned on. */
  publicLink: string | null
}

/** The build's "What to Test" note in one language. */
export interface WhatToTest {
  /** `en-US`, `de-DE`, … */
  locale: string
  text: string
}

/** Who tests a build in TestFlight, and what they are asked to test. */
export interface BuildTestFlight {
  /** Internal groups first, then external ones, each by name. */
  groups: TestFlightGroup[]
  /** One per language, by locale; empty when the build has no notes. */
  whatToTest: WhatToTest[]
}

const id = z.string().min(1).max(100)
/** Apple's largest apps have tens of thousands of builds; a row index past this is no request. */
const MAX_ROW = 1_000_000

export const buildsResources = {
  /**
   * An app's builds. `from: 0` answers with what is at hand (main's cache, or the newest builds
   * in one request); a later `from` adds the next page (one request from the kept cursor);
   * `rest: true` loads every build still missing, side by side (a filter, the End key). Reading
   * another app's builds cancels what this app's were still loading.
   */
  builds: resource<BuildsPage>()({
    appId: id,
    from: z.int().min(0).max(MAX_ROW).default(0),
    rest: z.boolean().default(false),
  }),
  /** One build with its App Store version. */
  build: resource<BuildDetail>()({ buildId: id }),
  /** The TestFlight groups that have a build, their testers, and its What to Test notes. */
  testFlight: resource<BuildTestFlight>()({ buildId: id }),
}
