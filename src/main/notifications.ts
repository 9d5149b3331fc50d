/**
 * Notifications of what the radar saw: a build finished processing, a build needs export
 * compliance, a TestFlight build expires within 3 days, a key stopped working. Each event is
 * shown once, ever: its ID goes into `<dataDir>/notified.json` (atomic, 0600, bounded) before the
 * next event can be judged, so a relaunch never repeats it. Events of one kind and team that
 * arrive together become one notification; a click opens what the notification names (the build,
 * or the team for a group). An event whose kind is switched off in Settings is recorded but not
 * shown, so switching it on later does not bring back the old ones.
 */
import * as nodeFs from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { DAY_MS } from '../shared/attention'
import { errorCode } from './errors'
import { fileTimestamp, removeStaleTempFiles, writeFileAtomic, type AtomicFs } from './files'
import type { Logger } from './log'
import type { DesktopNotification, DesktopNotifications } from './platform'
import type { NotificationKind, SettingsSource } from './radar/settings'

export const LEDGER_FILE = 'notified.json'
const LEDGER_VERSION = 1
/** Events are remembered this long: longer than a TestFlight build lives. */
const LEDGER_KEEP_MS = 120 * DAY_MS
const LEDGER_MAX_ENTRIES = 10_000
/** More notifications than this from one batch are merged by kind across teams. */
const MAX_SHOWN_AT_ONCE = 4

/** What a notification opens when clicked. */
export interface OpenTarget {
  teamId: string
  appId: string | null
  buildId: string | null
}

export interface RadarEvent {
  /** The same event has the same ID after a relaunch: `processed:<buildId>`. */
  id: string
  kind: NotificationKind
  teamId: string
  teamName: string
  app: { id: string; name: string | null } | null
  build: {
    id: string
    number: string
    version: string | null
    processingState: string
    expiresAt: number | null
  } | null
  /** keyStopped: what went wrong, in a few words (the diagnosis title). */
  reason: string | null
}

export interface ShownNotification extends DesktopNotification {
  target: OpenTarget
  kind: NotificationKind
  /** The events it stands for. */
  events: string[]
}

export type LedgerFs = AtomicFs & Pick<typeof nodeFs, 'readFile' | 'mkdir'>

export interface NotifierOptions {
  dataDir: string
  now: () => number
  log: Logger
  desktop: DesktopNotifications
  settings: Pick<SettingsSource, 'get'>
  /** Opens what a clicked notification names (main brings the window up, then tells it). */
  open: (target: OpenTarget) => void
  fs?: LedgerFs
}

export interface Notifier {
  /** Shows what is new among `events` (grouped), and records every one of them. */
  post(events: readonly RadarEvent[]): Promise<ShownNotification[]>
  /** Forgets events whose ID starts so (a key that works again may stop again, and be told). */
  forget(prefix: string): Promise<void>
  /** Whether an event was already handled (shown or switched off). */
  has(id: string): Promise<boolean>
}

const ledgerFile = z.object({
  version: z.literal(LEDGER_VERSION),
  notified: z.record(z.string().max(300), z.number()),
})

function buildLabel(event: RadarEvent): string {
  const build = event.build
  const app = event.app?.name ?? 'A build'
  if (!build) return app
  return build.version ? `${app} ${build.version} (${build.number})` : `${app} (${build.number})`
}

/** "today", "tomorrow", "in 3 days": when a build expires, from now. */
export function expiryWords(expiresAt: number, now: number): string {
  const days = Math.max(0, Math.ceil((expiresAt - now) / DAY_MS))
  return days <= 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`
}

function single(event: RadarEvent, now: number): DesktopNotification {
  const build = event.build
  switch (event.kind) {
    case 'buildProcessed': {
      const state = build?.processingState
      const outcome =
        state === 'VALID'
          ? 'is ready to test'
          : state === 'INVALID'
            ? 'is invalid'
            : 'failed processing'
      return { title: `${buildLabel(event)} ${outcome}`, body: event.teamName }
    }
    case 'complianceNeeded':
      return {
        title: `Build ${build?.number ?? ''} needs export compliance`.replace('  ', ' '),
        body: `${buildLabel(event)} · ${event.teamName}. Answer it in App Store Connect before testers can install it.`,
      }
    case 'expiringSoon':
      return {
        title: `${buildLabel(event)} expires ${build?.expiresAt ? expiryWords(build.expiresAt, now) : 'soon'}`,
        body: `TestFlight · ${event.teamName}`,
      }
    case 'keyStopped':
      return {
        title: `The API key of ${event.teamName} stopped working`,
        body: event.reason ?? 'App Store Connect refused it.',
      }
  }
}

function many(
  kind: NotificationKind,
  events: readonly RadarEvent[],
  now: number,
): DesktopNotification {
  const count = events.length
  const teams = [...new Set(events.map((event) => event.teamName))]
  const where = teams.length === 1 ? teams[0]! : `${teams.length} teams`
  switch (kind) {
    case 'buildProcessed': {
      const ready = events.every((event) => event.build?.processingState === 'VALID')
      return {
        title: ready ? `${count} builds are ready to test` : `${count} builds finished processing`,
        body: where,
      }
    }
    case 'complianceNeeded':
      return { title: `${count} builds need export compliance`, body: where }
    case 'expiringSoon': {
      const words = new Set(
        events.map((event) =>
          event.build?.expiresAt ? expiryWords(event.build.expiresAt, now) : 'soon',
        ),
      )
      const when = words.size === 1 ? [...words][0]! : 'within 3 days'
      return { title: `${count} TestFlight builds expire ${when}`, body: where }
    }
    case 'keyStopped':
      return { title: `The API keys of ${count} teams stopped working`, body: teams.join(', ') }
  }
}

function targetOf(events: readonly RadarEvent[]): OpenTarget {
  const first = events[0]!
  const oneApp = events.every((event) => event.app?.id === first.app?.id)
  return {
    teamId: first.teamId,
    appId: oneApp ? (first.app?.id ?? null) : null,
    buildId: events.length === 1 ? (first.build?.id ?? null) : null,
  }
}

/** One notification per event, per kind and team when several arrive, per kind when too many. */
export function groupEvents(events: readonly RadarEvent[], now: number): ShownNotification[] {
  const byKindAndTeam = new Map<string, RadarEvent[]>()
  for (const event of events) {
    const group = `${event.kind}|${event.teamId}`
    byKindAndTeam.set(group, [...(byKindAndTeam.get(group) ?? []), event])
  }
  let groups = [...byKindAndTeam.values()]
  if (groups.length > MAX_SHOWN_AT_ONCE) {
    const byKind = new Map<NotificationKind, RadarEvent[]>()
    for (const event of events) byKind.set(event.kind, [...(byKind.get(event.kind) ?? []), event])
    groups = [...byKind.values()]
  }
  return groups.map((group) => {
    const kind = group[0]!.kind
    const text = group.length === 1 ? single(group[0]!, now) : many(kind, group, now)
    return { ...text, kind, target: targetOf(group), events: group.map((event) => event.id) }
  })
}

export function createNotifier(options: NotifierOptions): Notifier {
  const fs = options.fs ?? nodeFs
  const path = join(options.dataDir, LEDGER_FILE)
  let ledger: Promise<Map<string, number>> | null = null
  let queue: Promise<unknown> = Promise.resolve()

  const loaded = () => (ledger ??= readLedger())

  async function readLedger(): Promise<Map<string, number>> {
    await removeStaleTempFiles(path, fs)
    let text: string
    try {
      text = await fs.readFile(path, 'utf8')
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') {
        options.log.warn('notification ledger unreadable', { code: errorCode(error) })
      }
      return new Map()
    }
    let parsed: z.infer<typeof ledgerFile> | null = null
    try {
      const result = ledgerFile.safeParse(JSON.parse(text))
      if (result.success) parsed = result.data
    } catch {
      // Not JSON: set aside below.
    }
    if (parsed) return new Map(Object.entries(parsed.notified))
    const aside = `${LEDGER_FILE}.corrupt-${fileTimestamp(options.now())}`
    await fs.rename(path, join(options.dataDir, aside)).catch(() => undefined)
    options.log.warn('notification ledger set aside', { aside })
    return new Map()
  }

  async function save(notified: Map<string, number>): Promise<void> {
    const oldest = options.now() - LEDGER_KEEP_MS
    const kept = [...notified].filter(([, at]) => at >= oldest).slice(-LEDGER_MAX_ENTRIES)
    notified.clear()
    for (const [id, at] of kept) notified.set(id, at)
    try {
      await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 })
      await writeFileAtomic(
        path,
        `${JSON.stringify({ version: LEDGER_VERSION, notified: Object.fromEntries(kept) })}\n`,
        fs,
      )
    } catch (error) {
      // In memory it is still recorded: this session repeats nothing.
      options.log.warn('could not save the notification ledger', { code: errorCode(error) })
    }
  }

  /** One change of the ledger at a time, in order. */
  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work)
    queue = result.catch(() => undefined)
    return result
  }

  return {
    post: (events) =>
      serialized(async () => {
        const notified = await loaded()
        const fresh = events.filter(
          (event, index) =>
            !notified.has(event.id) && events.findIndex((other) => other.id === event.id) === index,
        )
        if (fresh.length === 0) return []
        const settings = await options.settings.get()
        const now = options.now()
        for (const event of fresh) notified.set(event.id, now)
        await save(notified)
        const wanted = fresh.filter((event) => settings.notifications[event.kind])
        const shown = groupEvents(wanted, now)
        for (const notification of shown) {
          options.desktop.show({ title: notification.title, body: notification.body }, () =>
            options.open(notification.target),
          )
        }
        return shown
      }),
    forget: (prefix) =>
      serialized(async () => {
        const notified = await loaded()
        const gone = [...notified.keys()].filter((id) => id.startsWith(prefix))
        if (gone.length === 0) return
        for (const id of gone) notified.delete(id)
        await save(notified)
      }),
    has: async (id) => (await loaded()).has(id),
  }
}
