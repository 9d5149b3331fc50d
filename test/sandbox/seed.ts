/**
 * The sandbox's teams, keys and App Store Connect data, generated from a seed number: the same seed
 * gives the same IDs, names and builds. Dates are relative to the moment of seeding, so every
 * "needs attention" case (expiring soon, expired, stuck in processing, export compliance missing,
 * failed, invalid) exists whenever the sandbox starts. Private keys are not made here.
 */
import type { KeyType, Role } from '../../src/shared/keys'
import { Store } from './model'
import type { Row } from './model'

export type Platform = 'IOS' | 'MAC_OS' | 'TV_OS' | 'VISION_OS'

export interface SeedKey {
  keyId: string
  name: string
  role: Role
  type: KeyType
  revoked: boolean
  /** For an individual key, the apps its user may see; null means every app of the team. */
  visibleAppIds: string[] | null
}

export interface SeedTeam {
  name: string
  issuerId: string
  agreementsSigned: boolean
  keys: SeedKey[]
  appIds: string[]
}

/** Build IDs for each "needs attention" case, as of the moment of seeding. */
export interface AttentionBuilds {
  /** VALID, not expired, expiring within 7 days (uploaded 83–90 days ago). */
  expiringSoon: string[]
  /** `expired: true`: uploaded more than 90 days ago, or expired by hand earlier. */
  expired: string[]
  /** Expired by hand before their 90 days were up. */
  expiredEarly: string[]
  /** PROCESSING for more than an hour. */
  stuckProcessing: string[]
  /** PROCESSING for less than an hour (normal, not a problem). */
  processing: string[]
  /** VALID, not expired, `usesNonExemptEncryption: null`. */
  missingCompliance: string[]
  failed: string[]
  invalid: string[]
}

export interface SeedFixtures {
  /** The app with thousands of builds, for paging. */
  bigApp: { id: string; name: string; bundleId: string; buildCount: number }
  builds: AttentionBuilds
  /** The team with 500 apps and the 100,000-build app, when the sandbox was asked for it. */
  scale: ScaleFixture | null
}

export interface ScaleFixture {
  teamName: string
  appCount: number
  hugeApp: { id: string; name: string; bundleId: string; buildCount: number }
}

export interface SeedOptions {
  /**
   * Adds a fourth team with 500 apps, one of them with 100,000 builds (for the bench). Drawn from
   * a sequence of its own after the three teams, which stay exactly as without it.
   */
  scale?: boolean
}

export interface Seeded {
  teams: SeedTeam[]
  store: Store
  fixtures: SeedFixtures
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
export const BUILD_LIFETIME_MS = 90 * DAY

class Random {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** mulberry32: small, fast and good enough for test data. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  chars(alphabet: string, length: number): string {
    let text = ''
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(this.next() * alphabet.length)]
    return text
  }

  uuid(): string {
    const hex = this.chars('0123456789abcdef', 32)
    const variant = '89ab'[this.int(0, 3)] ?? '8'
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`
  }
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

function nthSundayOfMonth(year: number, month: number, n: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay()
  return 1 + ((7 - firstWeekday) % 7) + (n - 1) * 7
}

/** Apple writes dates in Cupertino time, e.g. `2024-03-06T02:40:43-08:00`. */
export function pacificIso(ms: number): string {
  const year = new Date(ms).getUTCFullYear()
  const dstStart = Date.UTC(year, 2, nthSundayOfMonth(year, 2, 2), 10)
  const dstEnd = Date.UTC(year, 10, nthSundayOfMonth(year, 10, 1), 9)
  const offset = ms >= dstStart && ms < dstEnd ? -7 : -8
  return `${new Date(ms + offset * HOUR).toISOString().slice(0, 19)}-0${-offset}:00`
}

interface UserPlan {
  first: string
  last: string
  roles: string[]
}

interface KeyPlan {
  name: string
  role: Role
  revoked?: boolean
}

interface TeamPlan {
  name: string
  domain: string
  agreementsSigned: boolean
  appNames: string[]
  keys: KeyPlan[]
  users: UserPlan[]
  /** The owner of the team's individual key, an index into `users`. */
  individualKeyUser?: number
}

// prettier-ignore
const NORTHWIND_PRODUCTS = [
  'Mail', 'Calendar', 'Notes', 'Tasks', 'Drive', 'Photos', 'Contacts', 'Weather', 'Maps', 'Music',
  'Podcasts', 'News', 'Wallet', 'Fitness', 'Health', 'Chat', 'Meet', 'Docs', 'Sheets', 'Slides',
  'Forms', 'Sign', 'Scan', 'Translate', 'Clock', 'Camera', 'Recorder', 'Reader', 'Budget', 'Travel',
]

const TEAM_PLANS: TeamPlan[] = [
  {
    name: 'Northwind Labs',
    domain: 'northwind',
    agreementsSigned: true,
    appNames: NORTHWIND_PRODUCTS.map((product) => `Northwind ${product}`),
    keys: [
      { name: 'CI Admin', role: 'ADMIN' },
      { name: 'Release Automation', role: 'APP_MANAGER' },
      { name: 'Build Uploads', role: 'DEVELOPER' },
    ],
    users: [
      { first: 'Ana', last: 'Ortiz', roles: ['ACCOUNT_HOLDER', 'ADMIN'] },
      { first: 'Ben', last: 'Fischer', roles: ['ADMIN'] },
      { first: 'Chloé', last: 'Martin', roles: ['APP_MANAGER'] },
      { first: 'Dev', last: 'Patel', roles: ['DEVELOPER'] },
      { first: 'Emma', last: 'Svensson', roles: ['MARKETING', 'CUSTOMER_SUPPORT'] },
      { first: 'Riley', last: 'Chen', roles: ['APP_MANAGER', 'GENERATE_INDIVIDUAL_KEYS'] },
      { first: 'Sam', last: 'Okafor', roles: ['DEVELOPER'] },
      { first: 'Yuki', last: 'Tanaka', roles: ['FINANCE', 'SALES'] },
    ],
    individualKeyUser: 5,
  },
  {
    name: 'Contoso Games',
    domain: 'contoso',
    agreementsSigned: false,
    appNames: ['Contoso Kart', 'Contoso Puzzle Quest', 'Contoso Chess', 'Contoso Tower Defense'],
    keys: [{ name: 'Contoso Admin', role: 'ADMIN' }],
    users: [
      { first: 'Mia', last: 'Novak', roles: ['ACCOUNT_HOLDER', 'ADMIN'] },
      { first: 'Leo', last: 'Rossi', roles: ['DEVELOPER'] },
    ],
  },
  {
    name: 'Fabrikam Studio',
    domain: 'fabrikam',
    agreementsSigned: true,
    appNames: ['Fabrikam Sketch', 'Fabrikam Frames', 'Fabrikam Type'],
    keys: [
      { name: 'Fabrikam CI', role: 'DEVELOPER' },
      { name: 'Old Laptop', role: 'APP_MANAGER', revoked: true },
    ],
    users: [
      { first: 'Nora', last: 'Lindqvist', roles: ['ACCOUNT_HOLDER', 'ADMIN'] },
      { first: 'Omar', last: 'Haddad', roles: ['DEVELOPER'] },
    ],
  },
]

const BIG_APP_BUILDS = 5000
const BIG_APP_VERSIONS = 50
const SCALE_APPS = 500
const HUGE_APP_BUILDS = 100_000
const HUGE_APP_VERSIONS = 250
const HUGE_APP_HISTORY_DAYS = 1_500
// prettier-ignore
const SCALE_ADJECTIVES = [
  'Brave', 'Bright', 'Calm', 'Clever', 'Cosmic', 'Daring', 'Eager', 'Fancy', 'Gentle', 'Happy',
  'Jolly', 'Keen', 'Lively', 'Lucky', 'Mighty', 'Noble', 'Proud', 'Quick', 'Rapid', 'Shiny',
  'Silent', 'Swift', 'Tiny', 'Vivid', 'Witty',
]
// prettier-ignore
const SCALE_NOUNS = [
  'Badger', 'Comet', 'Dragon', 'Falcon', 'Garden', 'Harbor', 'Island', 'Jungle', 'Kite', 'Lantern',
  'Meadow', 'Nebula', 'Orchard', 'Pirate', 'Quest', 'Rocket', 'Safari', 'Tundra', 'Voyage', 'Wizard',
]

/** The scale team: 500 apps, the first (first by name too) with 100,000 builds. */
const SCALE_PLAN: TeamPlan = {
  name: 'Tailspin Toys',
  domain: 'tailspin',
  agreementsSigned: true,
  appNames: [
    'Tailspin Atlas',
    ...SCALE_NOUNS.flatMap((noun) =>
      SCALE_ADJECTIVES.map((adjective) => `Tailspin ${adjective} ${noun}`),
    ).slice(0, SCALE_APPS - 1),
  ],
  keys: [{ name: 'Tailspin CI', role: 'ADMIN' }],
  users: [{ first: 'Tomás', last: 'Reyes', roles: ['ACCOUNT_HOLDER', 'ADMIN'] }],
}
/** Marketing version index from which the big app ships on each platform. */
const BIG_APP_PLATFORM_SINCE: Record<Platform, number> = {
  IOS: 0,
  MAC_OS: 10,
  TV_OS: 25,
  VISION_OS: 40,
}
const PLATFORM_WEIGHT: Record<Platform, number> = { IOS: 5, MAC_OS: 2, TV_OS: 1.5, VISION_OS: 1 }
const MIN_OS: Record<Platform, string> = {
  IOS: '16.0',
  MAC_OS: '13.0',
  TV_OS: '16.0',
  VISION_OS: '1.0',
}
const PLATFORM_SETS: Platform[][] = [
  ['IOS'],
  ['IOS'],
  ['IOS', 'MAC_OS'],
  ['MAC_OS'],
  ['IOS', 'TV_OS'],
  ['IOS', 'VISION_OS'],
]

type BuildRole =
  | 'regular'
  | 'processing'
  | 'stuck'
  | 'noCompliance'
  | 'failed'
  | 'invalid'
  | 'expiring'
  | 'expiredEarly'

/** Builds every attention app gets, by age. */
const PINNED_BUILDS: { role: BuildRole; ageMs: number }[] = [
  { role: 'processing', ageMs: 12 * MINUTE },
  { role: 'stuck', ageMs: 3 * HOUR + 10 * MINUTE },
  { role: 'noCompliance', ageMs: 26 * HOUR },
  { role: 'failed', ageMs: 2 * DAY + 5 * HOUR },
  { role: 'invalid', ageMs: 3 * DAY + 2 * HOUR },
  { role: 'expiredEarly', ageMs: 20 * DAY },
  { role: 'expiring', ageMs: 86 * DAY },
]

const VERSION_STATES_NEWEST = [
  'PREPARE_FOR_SUBMISSION',
  'WAITING_FOR_REVIEW',
  'IN_REVIEW',
  'PENDING_DEVELOPER_RELEASE',
  'READY_FOR_DISTRIBUTION',
] as const

/** `appStoreState` is deprecated but still sent; it mirrors `appVersionState`. */
const APP_STORE_STATE: Record<string, string> = {
  READY_FOR_DISTRIBUTION: 'READY_FOR_SALE',
  PROCESSING_FOR_DISTRIBUTION: 'PROCESSING_FOR_APP_STORE',
}

const NEWEST_EXTERNAL_STATES = [
  'WAITING_FOR_BETA_REVIEW',
  'IN_BETA_REVIEW',
  'READY_FOR_BETA_SUBMISSION',
  'BETA_REJECTED',
] as const

// prettier-ignore
const FIRST_NAMES = [
  'Alex', 'Priya', 'Jonas', 'Mei', 'Carlos', 'Aisha', 'Tom', 'Lena', 'Kenji', 'Sofia', 'Omar',
  'Hannah', 'Lucas', 'Ines', 'Noah', 'Zoe', 'Arjun', 'Elif', 'Mateo', 'Freya',
]
// prettier-ignore
const LAST_NAMES = [
  'Nguyen', 'Schmidt', 'Garcia', 'Kowalski', 'Okoye', 'Larsen', 'Rossi', 'Silva', 'Kim', 'Dubois',
  'Haddad', 'Novak', 'Tanaka', 'Murphy', 'Brandt', 'Costa',
]
const TESTER_STATES = ['INSTALLED', 'INSTALLED', 'INSTALLED', 'ACCEPTED', 'INVITED', 'NOT_INVITED']
/** Builds per app, newest first, that carry "What to Test" notes. */
const TEST_NOTES_PER_APP = 40
const TEST_NOTES = [
  {
    en: 'New in {version}: the redesigned {app} home screen. Please check that your saved items appear in the right order, and tell us if anything is slower than before.',
    de: 'Neu in {version}: der überarbeitete Startbildschirm von {app}. Bitte prüft, ob eure gespeicherten Einträge in der richtigen Reihenfolge erscheinen.',
  },
  {
    en: 'Fixes the crash when opening {app} from a notification. Try opening it from notifications and widgets, with and without an internet connection.',
    de: 'Behebt den Absturz beim Öffnen von {app} aus einer Mitteilung. Bitte aus Mitteilungen und Widgets öffnen, mit und ohne Internet.',
  },
  {
    en: 'Sync is rewritten in this build. Sign in on two devices, change something on one, and check it arrives on the other within a minute.',
    de: 'Die Synchronisierung ist in diesem Build neu. Auf zwei Geräten anmelden, auf einem etwas ändern und prüfen, ob es auf dem anderen ankommt.',
  },
  {
    en: 'Accessibility pass: VoiceOver labels, Dynamic Type up to the largest sizes, and Reduce Motion. Feedback from VoiceOver users is especially welcome.',
    de: 'Barrierefreiheit: VoiceOver-Beschriftungen, dynamische Schrift bis zur größten Stufe und „Bewegung reduzieren“.',
  },
  {
    en: 'Performance build. Scroll through long lists and search; note the device and what you were doing if it stutters.',
    de: 'Performance-Build. Durch lange Listen scrollen und suchen; bei Rucklern bitte Gerät und Situation notieren.',
  },
]

/** How many testers a group has: a team's own people inside, many more through a public link. */
function testerCount(group: string, plan: AppPlan, random: Random): number {
  switch (group) {
    case 'Internal Testers':
      return random.int(4, 9)
    case 'QA':
      return random.int(2, 6)
    case 'Public Beta':
      return plan.light ? random.int(1, 4) : plan.big ? 640 : random.int(25, 180)
    default:
      return random.int(3, 12)
  }
}

interface AppPlan {
  name: string
  bundleId: string
  sku: string
  platforms: Platform[]
  buildCount: number
  historyDays: number
  attention: boolean
  big: boolean
  /** The scale team's 100,000-build app. */
  huge: boolean
  /**
   * The scale team's apps: few testers, no What to Test notes, icons only as build attributes, so
   * 500 apps and 100,000 builds stay a few hundred MB in the sandbox.
   */
  light: boolean
}

interface PlannedBuild {
  uploadedMs: number
  role: BuildRole
}

class Seeder {
  readonly store = new Store()
  private random: Random
  /** Testers and test notes draw from their own sequence: the rest of the seed stays as it was. */
  private testing: Random
  private readonly now: number

  private readonly seedNumber: number

  constructor(seed: number, now: number) {
    this.seedNumber = seed
    this.random = new Random(seed)
    this.testing = new Random(seed ^ 0x7e57f117)
    this.now = Math.floor(now / 1000) * 1000
  }

  seed(options: SeedOptions = {}): Seeded {
    const seeded = this.seedTeams(TEAM_PLANS)
    const attention = this.attention()
    let scale: ScaleFixture | null = null
    if (options.scale) {
      // A sequence of its own: the three teams above are the same with or without it.
      this.random = new Random(this.seedNumber ^ 0x5ca1e)
      this.testing = new Random(this.seedNumber ^ 0x5ca1e7e5)
      const added = this.seedTeams([SCALE_PLAN])
      seeded.teams.push(...added.teams)
      const huge = added.huge
      if (!huge) throw new Error('the scale team has no huge app')
      scale = { teamName: SCALE_PLAN.name, appCount: SCALE_APPS, hugeApp: huge }
    }
    if (!seeded.big) throw new Error('the seed has no big app')
    return {
      teams: seeded.teams,
      store: this.store,
      fixtures: { bigApp: seeded.big, builds: attention, scale },
    }
  }

  private seedTeams(plans: TeamPlan[]): {
    teams: SeedTeam[]
    big: SeedFixtures['bigApp'] | null
    huge: ScaleFixture['hugeApp'] | null
  } {
    const teams: SeedTeam[] = []
    let bigApp: SeedFixtures['bigApp'] | null = null
    let hugeApp: ScaleFixture['hugeApp'] | null = null
    for (const plan of plans) {
      const issuerId = this.random.uuid()
      const appIds: string[] = []
      const appPlans = this.appPlans(plan)
      for (const appPlan of appPlans) {
        const app = this.addApp(issuerId, plan, appPlan)
        appIds.push(app.id)
        const fixture = {
          id: app.id,
          name: appPlan.name,
          bundleId: appPlan.bundleId,
          buildCount: appPlan.buildCount,
        }
        if (appPlan.big) bigApp = fixture
        if (appPlan.huge) hugeApp = fixture
      }
      const keys: SeedKey[] = plan.keys.map((key) => ({
        keyId: this.random.chars(UPPER_ALNUM, 10),
        name: key.name,
        role: key.role,
        type: 'team',
        revoked: key.revoked ?? false,
        visibleAppIds: null,
      }))
      const userIds = this.addUsers(issuerId, plan, appIds)
      if (plan.individualKeyUser !== undefined) {
        const user = plan.users[plan.individualKeyUser]
        const userRow = this.store.get('users', userIds[plan.individualKeyUser] ?? '')
        if (user && userRow) {
          keys.push({
            keyId: this.random.chars(UPPER_ALNUM, 10),
            name: `${user.first} ${user.last} (individual)`,
            role: user.roles.includes('ADMIN')
              ? 'ADMIN'
              : user.roles.includes('APP_MANAGER')
                ? 'APP_MANAGER'
                : 'DEVELOPER',
            type: 'individual',
            revoked: false,
            visibleAppIds: (userRow.relationships.visibleApps as string[] | null) ?? [],
          })
        }
      }
      teams.push({
        name: plan.name,
        issuerId,
        agreementsSigned: plan.agreementsSigned,
        keys,
        appIds,
      })
    }
    return { teams, big: bigApp, huge: hugeApp }
  }

  private appPlans(plan: TeamPlan): AppPlan[] {
    const light = plan === SCALE_PLAN
    return plan.appNames.map((name, index) => {
      const big = plan.domain === 'northwind' && index === 0
      const huge = light && index === 0
      const slug = name.split(' ').slice(1).join('').toLowerCase()
      const attention = big || index === 0 || this.random.chance(0.25)
      return {
        name,
        bundleId: `com.${plan.domain}.${slug}`,
        sku: `${plan.domain.slice(0, 3).toUpperCase()}-${slug.toUpperCase()}-${this.random.int(100, 999)}`,
        platforms: big
          ? ['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS']
          : huge
            ? ['IOS', 'MAC_OS']
            : this.random.pick(PLATFORM_SETS),
        buildCount: big
          ? BIG_APP_BUILDS
          : huge
            ? HUGE_APP_BUILDS
            : this.random.int(light ? 4 : 8, light ? 30 : 60),
        historyDays: big
          ? 1000
          : huge
            ? HUGE_APP_HISTORY_DAYS
            : this.random.int(attention ? 150 : 30, 400),
        attention,
        big,
        huge,
        light,
      }
    })
  }

  private appId(): string {
    return `${this.random.pick(['14', '15', '16', '64', '65', '67'])}${this.random.chars('0123456789', 8)}`
  }

  private addApp(teamId: string, team: TeamPlan, plan: AppPlan): Row {
    const id = this.appId()
    const app: Row = {
      type: 'apps',
      id,
      teamId,
      appId: id,
      attributes: {
        name: plan.name,
        bundleId: plan.bundleId,
        sku: plan.sku,
        primaryLocale: this.random.pick(['en-US', 'en-US', 'en-GB', 'de-DE', 'fr-FR']),
        isOrEverWasMadeForKids: this.random.chance(0.1),
        subscriptionStatusUrl: null,
        subscriptionStatusUrlVersion: null,
        subscriptionStatusUrlForSandbox: null,
        subscriptionStatusUrlVersionForSandbox: null,
        contentRightsDeclaration: this.random.pick([
          'DOES_NOT_USE_THIRD_PARTY_CONTENT',
          'USES_THIRD_PARTY_CONTENT',
        ]),
        streamlinedPurchasingEnabled: true,
      },
      relationships: { builds: [], preReleaseVersions: [], betaGroups: [], appStoreVersions: [] },
    }
    this.store.add(app)
    const builds = this.addBuilds(app, plan)
    this.addBetaGroups(app, plan, builds)
    this.addAppStoreVersions(app, team, builds)
    return app
  }

  private plannedBuilds(plan: AppPlan): PlannedBuild[] {
    const pinned = plan.attention ? PINNED_BUILDS : []
    const regularCount = plan.buildCount - pinned.length
    const newest = this.now - 4 * DAY
    const oldest = this.now - plan.historyDays * DAY
    const step = (newest - oldest) / Math.max(1, regularCount - 1)
    const builds: PlannedBuild[] = []
    for (let i = 0; i < regularCount; i++) {
      const jitter = (this.random.next() - 0.5) * step * 0.6
      const uploadedMs = Math.round((oldest + i * step + jitter) / 1000) * 1000
      const role = this.random.chance(0.01)
        ? 'failed'
        : this.random.chance(0.01)
          ? 'invalid'
          : 'regular'
      builds.push({ uploadedMs, role })
    }
    for (const { role, ageMs } of pinned) builds.push({ uploadedMs: this.now - ageMs, role })
    return builds.sort((a, b) => a.uploadedMs - b.uploadedMs)
  }

  private versionStrings(plan: AppPlan): string[] {
    if (plan.big || plan.huge) {
      return Array.from(
        { length: plan.huge ? HUGE_APP_VERSIONS : BIG_APP_VERSIONS },
        (_, index) => `${1 + Math.floor(index / 10)}.${index % 10}`,
      )
    }
    const count = Math.max(1, Math.ceil(plan.buildCount / 8))
    const major = this.random.int(1, 3)
    return Array.from(
      { length: count },
      (_, index) => `${major + Math.floor(index / 6)}.${index % 6}`,
    )
  }

  private platformFor(plan: AppPlan, versionIndex: number): Platform {
    const available = plan.big
      ? plan.platforms.filter((platform) => BIG_APP_PLATFORM_SINCE[platform] <= versionIndex)
      : plan.platforms
    const total = available.reduce((sum, platform) => sum + PLATFORM_WEIGHT[platform], 0)
    let roll = this.random.next() * total
    for (const platform of available) {
      roll -= PLATFORM_WEIGHT[platform]
      if (roll < 0) return platform
    }
    return available[0] ?? 'IOS'
  }

  private addBuilds(app: Row, plan: AppPlan): Row[] {
    const planned = this.plannedBuilds(plan)
    const versions = this.versionStrings(plan)
    const preReleaseVersions = new Map<string, Row>()
    const templateUrl =
      `https://is1-ssl.mzstatic.com/image/thumb/Purple${this.random.int(100, 221)}/v4/` +
      `${this.random.chars('0123456789abcdef', 2)}/${this.random.chars('0123456789abcdef', 2)}/` +
      `${this.random.uuid()}/AppIcon-0-0-1x_U007emarketing-0-7-0-85-220.png/{w}x{h}bb.{f}`
    const firstBuildNumber = plan.big || plan.huge ? 1 : this.random.pick([1, 1, 100, 2000])
    const builds: Row[] = []
    planned.forEach((build, rank) => {
      const versionIndex = Math.floor((rank * versions.length) / planned.length)
      const versionString = versions[versionIndex] ?? '1.0'
      const platform = this.platformFor(plan, versionIndex)
      const prvKey = `${versionString}|${platform}`
      let preReleaseVersion = preReleaseVersions.get(prvKey)
      if (!preReleaseVersion) {
        preReleaseVersion = {
          type: 'preReleaseVersions',
          id: this.random.uuid(),
          teamId: app.teamId,
          appId: app.id,
          attributes: { version: versionString, platform },
          relationships: { app: app.id, builds: [] },
        }
        preReleaseVersions.set(prvKey, preReleaseVersion)
        this.store.add(preReleaseVersion)
        ;(app.relationships.preReleaseVersions as string[]).push(preReleaseVersion.id)
      }
      const row = this.buildRow(app, plan, build, platform, templateUrl, firstBuildNumber + rank)
      row.relationships.preReleaseVersion = preReleaseVersion.id
      ;(preReleaseVersion.relationships.builds as string[]).push(row.id)
      ;(app.relationships.builds as string[]).push(row.id)
      builds.push(row)
    })
    return builds
  }

  private buildRow(
    app: Row,
    plan: AppPlan,
    build: PlannedBuild,
    platform: Platform,
    templateUrl: string,
    buildNumber: number,
  ): Row {
    const { role, uploadedMs } = build
    const age = this.now - uploadedMs
    const expired = role === 'expiredEarly' || age >= BUILD_LIFETIME_MS
    const processingState =
      role === 'processing' || role === 'stuck'
        ? 'PROCESSING'
        : role === 'failed'
          ? 'FAILED'
          : role === 'invalid'
            ? 'INVALID'
            : 'VALID'
    const valid = processingState === 'VALID'
    const usesNonExemptEncryption =
      !valid ||
      role === 'noCompliance' ||
      (!expired && role === 'regular' && this.random.chance(0.03))
        ? null
        : this.random.chance(0.1)
    const id = this.random.uuid()
    const icon = valid ? { templateUrl, width: 1024, height: 1024 } : null
    const row: Row = {
      type: 'builds',
      id,
      teamId: app.teamId,
      appId: app.id,
      attributes: {
        version: String(buildNumber),
        uploadedDate: pacificIso(uploadedMs),
        expirationDate: pacificIso(uploadedMs + BUILD_LIFETIME_MS),
        expired,
        minOsVersion: MIN_OS[platform],
        lsMinimumSystemVersion: platform === 'MAC_OS' ? MIN_OS.MAC_OS : null,
        computedMinMacOsVersion: platform === 'IOS' ? '14.0' : null,
        iconAssetToken: icon,
        processingState,
        buildAudienceType: this.random.chance(0.1) ? 'INTERNAL_ONLY' : 'APP_STORE_ELIGIBLE',
        usesNonExemptEncryption,
      },
      relationships: {
        app: app.id,
        buildBetaDetail: id,
        betaGroups: [],
        betaBuildLocalizations: [],
        appStoreVersion: null,
        icons: [],
      },
    }
    this.store.add(row)
    if (icon && !plan.light) {
      const iconRow: Row = {
        type: 'buildIcons',
        id: this.random.uuid(),
        teamId: app.teamId,
        appId: app.id,
        attributes: {
          name: 'AppIcon',
          iconAsset: icon,
          iconType: platform === 'TV_OS' ? 'TV_OS_HOME_SCREEN' : 'APP_STORE',
        },
        relationships: {},
      }
      this.store.add(iconRow)
      row.relationships.icons = [iconRow.id]
    }
    return row
  }

  /** Builds a tester could install: VALID, not expired, export compliance answered. */
  private testable(build: Row): boolean {
    const attributes = build.attributes
    return (
      attributes.processingState === 'VALID' &&
      attributes.expired === false &&
      attributes.usesNonExemptEncryption !== null
    )
  }

  private addBetaGroups(app: Row, plan: AppPlan, builds: Row[]): void {
    const testable = builds.filter((build) => this.testable(build))
    const newestFirst = [...testable].reverse()
    const externalState = new Map<string, string>()
    let externalRank = 0
    for (const build of newestFirst) {
      if (build.attributes.buildAudienceType === 'INTERNAL_ONLY') {
        externalState.set(build.id, 'READY_FOR_BETA_SUBMISSION')
        continue
      }
      externalState.set(
        build.id,
        externalRank < NEWEST_EXTERNAL_STATES.length && plan.attention
          ? (NEWEST_EXTERNAL_STATES[externalRank] ?? 'BETA_APPROVED')
          : externalRank < 15
            ? 'IN_BETA_TESTING'
            : 'BETA_APPROVED',
      )
      externalRank++
    }
    const inExternalTesting = newestFirst.filter(
      (build) => externalState.get(build.id) === 'IN_BETA_TESTING',
    )
    const everything = plan.big || plan.attention
    const groups: { name: string; internal: boolean; builds: Row[]; publicLink: boolean }[] = [
      { name: 'Internal Testers', internal: true, builds: testable, publicLink: false },
    ]
    if (everything || this.random.chance(0.5)) {
      groups.push({
        name: 'QA',
        internal: true,
        builds: newestFirst.slice(0, 10),
        publicLink: false,
      })
    }
    if (everything || this.random.chance(0.5)) {
      groups.push({
        name: 'Public Beta',
        internal: false,
        builds: inExternalTesting,
        publicLink: true,
      })
    }
    if (everything || this.random.chance(0.3)) {
      groups.push({
        name: 'Partners',
        internal: false,
        builds: inExternalTesting.slice(0, 3),
        publicLink: false,
      })
    }
    const internallyTested = new Set<string>()
    const domain = app.attributes.bundleId as string
    for (const group of groups) {
      const linkId = group.publicLink
        ? this.random.chars(UPPER_ALNUM + 'abcdefghijklmnopqrstuvwxyz', 8)
        : null
      const row: Row = {
        type: 'betaGroups',
        id: this.random.uuid(),
        teamId: app.teamId,
        appId: app.id,
        attributes: {
          name: group.name,
          createdDate: pacificIso(
            this.now - plan.historyDays * DAY + this.random.int(1, 20) * HOUR,
          ),
          isInternalGroup: group.internal,
          hasAccessToAllBuilds: group.internal ? group.name === 'Internal Testers' : null,
          publicLinkEnabled: group.publicLink,
          publicLinkId: linkId,
          publicLinkLimitEnabled: group.publicLink,
          publicLinkLimit: group.publicLink ? 1000 : null,
          publicLink: linkId ? `https://testflight.apple.com/join/${linkId}` : null,
          feedbackEnabled: !group.internal,
          iosBuildsAvailableForAppleSiliconMac: false,
          iosBuildsAvailableForAppleVision: false,
        },
        relationships: {
          app: app.id,
          builds: group.builds.map((build) => build.id),
          betaTesters: [],
          betaRecruitmentCriteria: null,
        },
      }
      this.store.add(row)
      ;(app.relationships.betaGroups as string[]).push(row.id)
      for (const build of group.builds) {
        ;(build.relationships.betaGroups as string[]).push(row.id)
        if (group.internal) internallyTested.add(build.id)
      }
      this.addTesters(app, row, testerCount(group.name, plan, this.testing), domain)
    }
    for (const build of builds) this.addBetaDetail(build, externalState, internallyTested)
    if (!plan.light) this.addTestNotes(app, plan, newestFirst)
  }

  /** A group's testers: people invited by email, or (public link) who joined through it. */
  private addTesters(app: Row, group: Row, count: number, domain: string): void {
    const publicLink = group.attributes.publicLinkEnabled === true
    const internal = group.attributes.isInternalGroup === true
    for (let index = 0; index < count; index++) {
      const first = this.testing.pick(FIRST_NAMES)
      const last = this.testing.pick(LAST_NAMES)
      const joined = publicLink && this.testing.chance(0.7)
      const tester: Row = {
        type: 'betaTesters',
        id: this.testing.uuid(),
        teamId: app.teamId,
        appId: app.id,
        attributes: {
          firstName: first,
          lastName: last,
          email: internal
            ? `${first}.${last}@${domain.split('.')[1] ?? 'example'}.example`.toLowerCase()
            : `${first}.${last}.${index}@testers.example`.toLowerCase(),
          inviteType: joined ? 'PUBLIC_LINK' : 'EMAIL',
          state: this.testing.pick(TESTER_STATES),
        },
        relationships: { apps: [app.id], betaGroups: [group.id], builds: [] },
      }
      this.store.add(tester)
      ;(group.relationships.betaTesters as string[]).push(tester.id)
    }
  }

  /**
   * "What to Test": the notes App Store Connect asks for before a build goes to external testers,
   * on the newest testable builds, in the app's primary language (some apps add German).
   */
  private addTestNotes(app: Row, plan: AppPlan, newestFirst: readonly Row[]): void {
    const locales =
      app.attributes.primaryLocale === 'de-DE' || this.testing.chance(0.3)
        ? ['en-US', 'de-DE']
        : ['en-US']
    for (const build of newestFirst.slice(0, TEST_NOTES_PER_APP)) {
      const prv = this.store.get(
        'preReleaseVersions',
        build.relationships.preReleaseVersion as string,
      )
      const version = (prv?.attributes.version as string | undefined) ?? ''
      const note = this.testing.pick(TEST_NOTES)
      const ids: string[] = []
      for (const locale of locales) {
        const row: Row = {
          type: 'betaBuildLocalizations',
          id: this.testing.uuid(),
          teamId: app.teamId,
          appId: app.id,
          attributes: {
            locale,
            whatsNew: (locale === 'de-DE' ? note.de : note.en)
              .replace('{app}', plan.name.split(' ').slice(1).join(' ') || plan.name)
              .replace('{version}', version),
          },
          relationships: { build: build.id },
        }
        this.store.add(row)
        ids.push(row.id)
      }
      build.relationships.betaBuildLocalizations = ids
    }
  }

  private addBetaDetail(
    build: Row,
    externalState: Map<string, string>,
    internallyTested: Set<string>,
  ): void {
    const attributes = build.attributes
    const [internal, external] =
      attributes.processingState === 'PROCESSING'
        ? ['PROCESSING', 'PROCESSING']
        : attributes.processingState !== 'VALID'
          ? ['PROCESSING_EXCEPTION', 'PROCESSING_EXCEPTION']
          : attributes.expired === true
            ? ['EXPIRED', 'EXPIRED']
            : attributes.usesNonExemptEncryption === null
              ? ['MISSING_EXPORT_COMPLIANCE', 'MISSING_EXPORT_COMPLIANCE']
              : [
                  internallyTested.has(build.id) ? 'IN_BETA_TESTING' : 'READY_FOR_BETA_TESTING',
                  externalState.get(build.id) ?? 'READY_FOR_BETA_SUBMISSION',
                ]
    this.store.add({
      type: 'buildBetaDetails',
      id: build.id,
      teamId: build.teamId,
      appId: build.appId,
      attributes: {
        autoNotifyEnabled: this.random.chance(0.5),
        internalBuildState: internal,
        externalBuildState: external,
      },
      relationships: { build: build.id },
    })
  }

  private addAppStoreVersions(app: Row, team: TeamPlan, builds: Row[]): void {
    const byPlatform = new Map<string, Map<string, Row[]>>()
    for (const build of builds) {
      const prv = this.store.get(
        'preReleaseVersions',
        build.relationships.preReleaseVersion as string,
      )
      if (!prv) continue
      const platform = prv.attributes.platform as string
      const versions = byPlatform.get(platform) ?? new Map<string, Row[]>()
      const list = versions.get(prv.attributes.version as string) ?? []
      list.push(build)
      versions.set(prv.attributes.version as string, list)
      byPlatform.set(platform, versions)
    }
    for (const [platform, versions] of byPlatform) {
      const ordered = [...versions.entries()]
      const newestState =
        ordered.length > 1 ? this.random.pick(VERSION_STATES_NEWEST) : 'READY_FOR_DISTRIBUTION'
      const shown = ordered.slice(-4)
      shown.forEach(([versionString, versionBuilds], index) => {
        const fromNewest = shown.length - 1 - index
        const state =
          fromNewest === 0
            ? newestState
            : fromNewest === 1 && newestState !== 'READY_FOR_DISTRIBUTION'
              ? 'READY_FOR_DISTRIBUTION'
              : 'REPLACED_WITH_NEW_VERSION'
        const candidates = versionBuilds.filter(
          (build) => build.attributes.processingState === 'VALID',
        )
        const build =
          state === 'PREPARE_FOR_SUBMISSION' && this.random.chance(0.5)
            ? undefined
            : candidates.at(-1)
        const created = Date.parse(versionBuilds[0]?.attributes.uploadedDate as string)
        const row: Row = {
          type: 'appStoreVersions',
          id: this.random.uuid(),
          teamId: app.teamId,
          appId: app.id,
          attributes: {
            platform,
            versionString,
            appStoreState: APP_STORE_STATE[state] ?? state,
            appVersionState: state,
            copyright: `© ${new Date(created).getUTCFullYear()} ${team.name}`,
            reviewType: 'APP_STORE',
            releaseType: this.random.pick(['MANUAL', 'AFTER_APPROVAL']),
            earliestReleaseDate: null,
            downloadable:
              state === 'READY_FOR_DISTRIBUTION' || state === 'REPLACED_WITH_NEW_VERSION',
            createdDate: pacificIso(created),
          },
          relationships: { app: app.id, build: build?.id ?? null },
        }
        this.store.add(row)
        ;(app.relationships.appStoreVersions as string[]).push(row.id)
        if (build) build.relationships.appStoreVersion = row.id
      })
    }
  }

  private addUsers(teamId: string, plan: TeamPlan, appIds: string[]): string[] {
    return plan.users.map((user, index) => {
      const restricted =
        !user.roles.includes('ADMIN') &&
        (user.roles.includes('DEVELOPER') || user.roles.includes('APP_MANAGER'))
      const visible = restricted ? this.visibleApps(appIds, index === plan.individualKeyUser) : []
      const row: Row = {
        type: 'users',
        id: this.random.uuid(),
        teamId,
        appId: null,
        attributes: {
          username: `${user.first.toLowerCase().replace('é', 'e')}.${user.last.toLowerCase()}@${plan.domain}.example`,
          firstName: user.first,
          lastName: user.last,
          roles: user.roles,
          allAppsVisible: !restricted,
          provisioningAllowed: user.roles.includes('ADMIN') || user.roles.includes('DEVELOPER'),
        },
        relationships: { visibleApps: visible },
      }
      this.store.add(row)
      return row.id
    })
  }

  /** A subset of the team's apps; the individual key's user always sees the big app. */
  private visibleApps(appIds: string[], withFirst: boolean): string[] {
    const others = appIds.slice(1)
    const chosen = new Set<string>()
    while (chosen.size < Math.min(4, others.length)) chosen.add(this.random.pick(others))
    const first = appIds[0]
    return withFirst && first ? [first, ...chosen] : [...chosen]
  }

  private attention(): AttentionBuilds {
    const found: AttentionBuilds = {
      expiringSoon: [],
      expired: [],
      expiredEarly: [],
      stuckProcessing: [],
      processing: [],
      missingCompliance: [],
      failed: [],
      invalid: [],
    }
    for (const build of this.store.all('builds')) {
      const attributes = build.attributes
      const uploaded = Date.parse(attributes.uploadedDate as string)
      const expires = Date.parse(attributes.expirationDate as string)
      const valid = attributes.processingState === 'VALID'
      if (attributes.expired === true) found.expired.push(build.id)
      if (attributes.expired === true && expires > this.now) found.expiredEarly.push(build.id)
      if (valid && attributes.expired === false && expires - this.now <= 7 * DAY) {
        found.expiringSoon.push(build.id)
      }
      if (attributes.processingState === 'PROCESSING') {
        found[this.now - uploaded > HOUR ? 'stuckProcessing' : 'processing'].push(build.id)
      }
      if (valid && attributes.expired === false && attributes.usesNonExemptEncryption === null) {
        found.missingCompliance.push(build.id)
      }
      if (attributes.processingState === 'FAILED') found.failed.push(build.id)
      if (attributes.processingState === 'INVALID') found.invalid.push(build.id)
    }
    return found
  }
}

export function seedData(seed: number, now: number, options: SeedOptions = {}): Seeded {
  return new Seeder(seed, now).seed(options)
}
