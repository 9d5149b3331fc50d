import type {
  ExportFormat,
  TeamHistoryEntry,
  TeamHistoryItem,
} from '../../shared/contract/key-life'
import type { DiagnosisCode } from '../../shared/diagnosis'
import { MAX_HISTORY_ENTRIES } from './metadata'

/**
 * A team's history in keys.json: added, re-imported, rotated, exported, checked. Bounded: a check
 * with the same outcome as the entry before it replaces that entry (a key checked every day keeps
 * one line, with the latest date), and past 50 entries the oldest go first.
 */

export function appendHistory(
  history: readonly TeamHistoryEntry[],
  entry: TeamHistoryEntry,
): TeamHistoryEntry[] {
  const last = history.at(-1)
  const repeatsCheck =
    entry.kind === 'checked' &&
    last?.kind === 'checked' &&
    last.code === entry.code &&
    last.via === entry.via
  const kept = repeatsCheck ? history.slice(0, -1) : history
  return [...kept, entry].slice(-MAX_HISTORY_ENTRIES)
}

export const FORMAT_NAMES: Record<ExportFormat, string> = {
  fastlane: 'fastlane API key JSON',
  p8: 'AuthKey .p8 file',
  env: 'CI variables',
}

export function describeEntry(entry: TeamHistoryEntry): string {
  switch (entry.kind) {
    case 'added':
      return entry.via === 'cli'
        ? 'Added with ascent add'
        : entry.via === 'keychain'
          ? 'Added back from the keychain'
          : 'Added in Ascent'
    case 'reimported':
      return 'Key file imported again'
    case 'rotated':
      return `Rotated from ${entry.fromKeyId} to ${entry.toKeyId}`
    case 'exported': {
      const what = FORMAT_NAMES[entry.format]
      const by = entry.via === 'cli' ? ' by ascent export' : ''
      if (entry.to === 'clipboard') return `${what} copied to the clipboard${by}`
      if (entry.to === 'stdout') return `${what} printed${by}`
      return `${what} saved to ${entry.path ?? 'a file'}${by}`
    }
    case 'checked': {
      const by = entry.via === 'cli' ? ' by ascent doctor' : ''
      return entry.ok
        ? `Checked${by}: Apple accepted the key`
        : `Checked${by}: ${CHECK_OUTCOMES[entry.code] ?? entry.code}`
    }
  }
}

/** Newest first, each with its sentence. */
export function historyItems(history: readonly TeamHistoryEntry[]): TeamHistoryItem[] {
  return [...history].reverse().map((entry) => ({ ...entry, summary: describeEntry(entry) }))
}

const CHECK_OUTCOMES: Partial<Record<DiagnosisCode, string>> = {
  'auth.rejected': 'Apple rejected the key',
  'auth.clock_skew': 'this computer’s clock is off',
  'access.agreements': 'an agreement must be signed',
  'access.forbidden': 'the key’s role does not allow a request',
  'input.private_key_invalid': 'the private key could not be read',
  'apple.rate_limited': 'the key’s hourly limit was reached',
  'apple.unavailable': 'App Store Connect had a problem',
  'apple.bad_response': 'an unexpected answer',
  'network.offline': 'no connection',
  'network.timeout': 'no answer in time',
  'network.tls': 'the connection was intercepted',
}
