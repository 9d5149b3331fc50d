import type { Diagnosis, DiagnosisFacts } from '../../shared/diagnosis'
import type { IdProblem, KeyType } from '../../shared/keys'
import type { BadResponseReason, NetworkReason } from '../asc'

/**
 * What Ascent tells the user, for every diagnosis code: a short title, what it means, and
 * numbered actions, most likely first. The same words appear in the wizard, the team re-check
 * and `ascent doctor`; where a hint names a control, it names the app's or the command line's.
 */

/** Where the words are read: the app (its controls) or `ascent doctor` (its flags). */
export type Surface = 'app' | 'cli'

const AS_INDIVIDUAL: Record<Surface, string> = {
  app: 'choose “Individual key” (no issuer ID)',
  cli: 'pass --individual instead of --issuer-id',
}

const AS_TEAM: Record<Surface, string> = {
  app: 'choose “Team key” and enter the team’s issuer ID',
  cli: 'pass --issuer-id instead of --individual',
}

const KEYS_PAGE = 'App Store Connect → Users and Access → Integrations'

/** Differences up to this many seconds are normal and not worth a word. */
export const CLOCK_SKEW_THRESHOLD_SECONDS = 30

/** `305` → `5 minutes`; `42` → `42 seconds`; `7260` → `2 hours 1 minute`. */
export function describeDuration(totalSeconds: number): string {
  const seconds = Math.round(Math.abs(totalSeconds))
  const unit = (count: number, name: string) => `${count} ${name}${count === 1 ? '' : 's'}`
  if (seconds < 90) return unit(seconds, 'second')
  if (seconds < 90 * 60) return unit(Math.round(seconds / 60), 'minute')
  if (seconds < 48 * 3600) {
    const hours = Math.floor(seconds / 3600)
    const minutes = Math.round((seconds % 3600) / 60)
    return minutes === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(minutes, 'minute')}`
  }
  return unit(Math.round(seconds / 86400), 'day')
}

/** `-305` (Apple minus us) → `5 minutes ahead of`. */
function clockDirection(offsetSeconds: number): string {
  return `${describeDuration(offsetSeconds)} ${offsetSeconds < 0 ? 'ahead of' : 'behind'}`
}

function diagnosis(
  code: Diagnosis['code'],
  title: string,
  detail: string,
  hints: string[],
  facts: DiagnosisFacts,
): Diagnosis {
  return { ok: code === 'ok', code, title, detail, hints, facts }
}

/** What a key can do, as found by the check's reads. */
export interface Abilities {
  apps: number | null
  testFlight: boolean
  users: boolean
  appName: string | null
}

export function keyWorks(abilities: Abilities, facts: DiagnosisFacts): Diagnosis {
  const can = [
    abilities.apps === null
      ? 'list apps'
      : `list apps (it sees ${abilities.apps} app${abilities.apps === 1 ? '' : 's'})`,
  ]
  if (abilities.appName) can.push(`open ${abilities.appName}`)
  if (abilities.testFlight) can.push('read TestFlight')
  if (abilities.users) can.push('manage users, so it is an Admin key')
  const list = can.length > 1 ? `${can.slice(0, -1).join(', ')} and ${can.at(-1)}` : can[0]
  return diagnosis('ok', 'The key works', `Apple accepted the key. It can ${list}.`, [], facts)
}

const ID_TITLES: Record<IdProblem['code'], string> = {
  'input.issuer_id_invalid': 'The issuer ID is not valid',
  'input.key_id_invalid': 'The key ID is not valid',
  'input.ids_swapped': 'The issuer ID and key ID are swapped',
  'input.key_id_mismatch': 'The key ID does not match the key file',
}

const ID_HINTS: Record<IdProblem['code'], (surface: Surface) => string[]> = {
  'input.issuer_id_invalid': (surface) => [
    `Copy the issuer ID from the top of the keys list in ${KEYS_PAGE} → App Store Connect API. It looks like 57246542-96fe-1a63-e053-0824d011072a.`,
    `If the key is an individual key (Integrations → Individual API Key), it has no issuer ID: ${AS_INDIVIDUAL[surface]}.`,
  ],
  'input.key_id_invalid': (surface) => [
    `Copy the key ID from the key’s row in the keys list: 10 letters and digits, such as 2X9R4HXF34${surface === 'cli' ? ', and pass it with --key-id' : ''}.`,
    'The key ID is also in the name of the file Apple gave you: AuthKey_2X9R4HXF34.p8.',
  ],
  'input.ids_swapped': (surface) => [
    surface === 'cli'
      ? 'Pass the UUID (such as 57246542-96fe-1a63-e053-0824d011072a) with --issuer-id, and the 10 characters (such as 2X9R4HXF34) with --key-id.'
      : 'Put the UUID (such as 57246542-96fe-1a63-e053-0824d011072a) in Issuer ID, and the 10 characters (such as 2X9R4HXF34) in Key ID.',
  ],
  'input.key_id_mismatch': () => [
    'Check which key this file belongs to: Apple names each file AuthKey_<key ID>.p8, and each .p8 works only with its own key ID.',
    'If the file was renamed, ignore this: the check with Apple is what counts.',
  ],
}

/** An ID problem found before anything was sent: as the main result, or as a warning. */
export function idProblem(problem: IdProblem, surface: Surface): Diagnosis {
  const hints = ID_HINTS[problem.code](surface)
  return diagnosis(problem.code, ID_TITLES[problem.code], problem.message, hints, {})
}

/** The key works although its file is named for another key ID: most likely a renamed file. */
export function keyIdMismatchAccepted(fileKeyId: string, keyId: string): Diagnosis {
  return diagnosis(
    'input.key_id_mismatch',
    ID_TITLES['input.key_id_mismatch'],
    `The key file is named for key ${fileKeyId}, but Apple accepted it with key ID ${keyId}: the file was probably renamed.`,
    [
      `To avoid mix-ups later, rename the file AuthKey_${keyId}.p8 wherever you keep it (CI secrets, fastlane).`,
    ],
    {},
  )
}

/** Apple refused the key and the key file is named for another key ID: the likely cause. */
export function keyIdMismatchRejected(
  problem: IdProblem,
  fileKeyId: string,
  facts: DiagnosisFacts,
): Diagnosis {
  return diagnosis(
    'input.key_id_mismatch',
    'Apple refused the key: the key ID does not match the key file',
    `App Store Connect answered 401 Not Authorized. ${problem.message}`,
    [
      `Try the key ID ${fileKeyId}, the one in the file’s name.`,
      `Or look up this key in ${KEYS_PAGE} → App Store Connect API and copy the key ID from its row.`,
    ],
    facts,
  )
}

export function privateKeyInvalid(reason: string, fix: string | null): Diagnosis {
  return diagnosis(
    'input.private_key_invalid',
    'The private key cannot be used',
    reason,
    fix ? [fix] : [],
    {},
  )
}

/** The key of a saved team could not be read back (gone from the keychain, or changed). */
export function savedKeyUnavailable(reason: string, keyId: string): Diagnosis {
  return diagnosis(
    'input.private_key_invalid',
    'The private key needs to be imported again',
    reason,
    [
      `Re-import AuthKey_${keyId}.p8 for this team: Ascent checks it with Apple again and stores it in the keychain.`,
      `If the file is lost, revoke key ${keyId} in ${KEYS_PAGE} and add a new key.`,
    ],
    {},
  )
}

/** The token Ascent signed breaks one of Apple's rules: found before sending it. */
export function tokenInvalid(problems: string[]): Diagnosis {
  return diagnosis(
    'auth.rejected',
    'The token would be refused',
    `The token signed with this key breaks Apple’s rules, so it was not sent: ${problems.join('; ')}.`,
    ['Check the key ID and issuer ID, then check again.'],
    {},
  )
}

const REVOKED_HINT = `Check that the key is still active in ${KEYS_PAGE}. A revoked key stops working at once and for good: generate a new key.`

function rejectedHints(keyType: KeyType, surface: Surface): string[] {
  return keyType === 'team'
    ? [
        REVOKED_HINT,
        'Check the issuer ID: copy it again from the top of the keys list. Each team has its own, and another team’s issuer ID is refused.',
        'Check the key ID: it must be the one in this key’s own row (and in its file name, AuthKey_<key ID>.p8). Another key’s ID does not work with this .p8.',
        `If this is an individual key (Integrations → Individual API Key), check it as one: ${AS_INDIVIDUAL[surface]}.`,
      ]
    : [
        `If this is a team key (Integrations → App Store Connect API), check it as one: ${AS_TEAM[surface]}.`,
        `Check that the key is still active in ${KEYS_PAGE} → Individual API Key. A revoked key stops working at once and for good: generate a new key.`,
        'Check the key ID: it must be this key’s own (also in its file name, AuthKey_<key ID>.p8).',
      ]
}

/** A 401 with no local cause found. */
export function authRejected(keyType: KeyType, surface: Surface, facts: DiagnosisFacts): Diagnosis {
  return diagnosis(
    'auth.rejected',
    'Apple refused this key',
    `App Store Connect answered 401 Not Authorized to a correctly signed token, and it does not say why. The IDs are well-formed and the token follows Apple’s rules, so the key, the key ID and the issuer ID do not belong together, or the key is no longer active.`,
    rejectedHints(keyType, surface),
    facts,
  )
}

/** A 401 as a team key, while the same key works as an individual key. */
export function individualKeyAsTeamKey(surface: Surface, facts: DiagnosisFacts): Diagnosis {
  return diagnosis(
    'auth.rejected',
    'This is an individual key',
    'App Store Connect refused the key as a team key (401 Not Authorized), but accepted the same key as an individual key. Individual keys belong to one person and have no issuer ID.',
    [`Check it again as an individual key: ${AS_INDIVIDUAL[surface]}.`],
    facts,
  )
}

const CLOCK_FIX =
  'Set the clock automatically: on a Mac, System Settings → General → Date & Time → “Set time and date automatically”; on a CI machine, enable NTP.'

/** The clock is off, and Ascent's corrected tokens worked. */
export function clockSkewCorrected(offsetSeconds: number, facts: DiagnosisFacts): Diagnosis {
  return diagnosis(
    'auth.clock_skew',
    `This computer’s clock is ${clockDirection(offsetSeconds)} Apple’s`,
    `Apple refuses tokens dated too far from its own time. Ascent measures the difference from Apple’s answers and signs with Apple’s time, so the key works here; other tools on this computer (fastlane, scripts, curl) may get 401 Not Authorized.`,
    [CLOCK_FIX],
    facts,
  )
}

/** A 401 that persisted although Ascent corrected for a clock that is off. */
export function clockSkewRejected(
  keyType: KeyType,
  surface: Surface,
  offsetSeconds: number,
  facts: DiagnosisFacts,
): Diagnosis {
  return diagnosis(
    'auth.clock_skew',
    `Apple refused the key, and this computer’s clock is ${clockDirection(offsetSeconds)} Apple’s`,
    `App Store Connect answered 401 Not Authorized. A clock this far off makes Apple refuse tokens; Ascent corrected its tokens for the difference and Apple still refused, so the key itself may have a problem too.`,
    [CLOCK_FIX, ...rejectedHints(keyType, surface)],
    facts,
  )
}

/** What a request needs, in the words of Apple's roles. */
function whoMay(request: string): string {
  const path = request.replace(/^[A-Z]+ /, '').split('?')[0] ?? ''
  if (path.startsWith('/v1/users')) return 'Only Admin keys may manage users.'
  return 'Keys of every role (Admin, App Manager, Developer) may normally do this, so the key’s access may have been limited.'
}

export function accessForbidden(request: string, facts: DiagnosisFacts): Diagnosis {
  return diagnosis(
    'access.forbidden',
    `The key’s role does not allow ${request.split('?')[0]}`,
    `App Store Connect answered 403 Forbidden to ${request}: the key is valid, but its role does not allow this request. ${whoMay(request)}`,
    [
      'Use a key whose role allows this (see the role of each key in the keys list), or leave this task to another key.',
      'Give each tool the lowest role it needs: Developer for builds and TestFlight, App Manager for releases, Admin for users.',
    ],
    facts,
  )
}

export function agreementsMissing(request: string, facts: DiagnosisFacts): Diagnosis {
  return diagnosis(
    'access.agreements',
    'An agreement needs to be signed in App Store Connect',
    `App Store Connect answered 403 to ${request}: an agreement of this team is unsigned or has expired, and Apple blocks the API for the whole team until it is signed. The key itself was accepted.`,
    [
      'The Account Holder signs in to App Store Connect, opens Business (Agreements, Tax, and Banking) and accepts the pending agreements.',
      'Check again once the agreement shows as active; it can take a few minutes.',
    ],
    facts,
  )
}

export function notFound(request: string, appId: string | null, facts: DiagnosisFacts): Diagnosis {
  return diagnosis(
    'team.not_found',
    appId ? `App ${appId} is not in this key’s team` : 'Not found in this key’s team',
    `App Store Connect answered 404 Not Found to ${request}: ${appId ? `this key cannot see an app with the ID ${appId}` : 'this key cannot see what was asked for'}. A key sees only its own team’s apps (an individual key, only its user’s).`,
    [
      'Check that the key belongs to the team that owns the app: each team has its own issuer ID and keys.',
      'Check the app ID: App Store Connect → the app → App Information → Apple ID.',
    ],
    facts,
  )
}

const PROXY_HINT =
  'If a proxy, VPN or content filter sits between this computer and Apple, make sure it lets api.appstoreconnect.apple.com through unchanged, or try another network.'

/**
 * A 404 to a request that named no app or build (the check's `GET /v1/apps?limit=1`): any key may
 * send it, so the answer says nothing about the key or its team, only about where the request went.
 */
export function pathNotFound(request: string, surface: Surface, facts: DiagnosisFacts): Diagnosis {
  const address =
    surface === 'cli'
      ? [
          'Check --api-base: leave it out to reach Apple’s API (https://api.appstoreconnect.apple.com), or give the address without /v1.',
        ]
      : []
  return diagnosis(
    'apple.path_not_found',
    'App Store Connect’s API was not found at this address',
    `${request} got back 404 Not Found. The request names no app or build and any key may send it, so the answer is not about the key or its team: the API address is wrong, a proxy answered in Apple’s place, or App Store Connect is failing at this path. Nothing is known about the key yet.`,
    [
      ...address,
      PROXY_HINT,
      'See Apple’s System Status page (developer.apple.com/system-status) for App Store Connect, and check again later.',
    ],
    facts,
  )
}

export function rateLimited(
  retryAfterSeconds: number | null,
  limit: number | null,
  facts: DiagnosisFacts,
): Diagnosis {
  const wait =
    retryAfterSeconds !== null
      ? `Try again in ${describeDuration(retryAfterSeconds)} (Apple asked to wait ${retryAfterSeconds} s).`
      : 'Try again in a few minutes: Apple counts requests over a rolling hour.'
  return diagnosis(
    'apple.rate_limited',
    'Too many requests with this key',
    `App Store Connect answered 429: this key used up ${limit !== null ? `its ${limit} requests an hour` : 'its allowance of requests'}. The key itself works; Apple counts requests per key over a rolling hour.`,
    [
      wait,
      'If other tools (CI, fastlane, scripts) share this key, give each its own key: each key has its own allowance.',
    ],
    facts,
  )
}

export function unavailable(status: number, request: string, facts: DiagnosisFacts): Diagnosis {
  return diagnosis(
    'apple.unavailable',
    'App Store Connect is having trouble',
    `App Store Connect answered ${status} to ${request}, also when asked again. This is on Apple’s side and says nothing about the key.`,
    [
      'Try again in a few minutes.',
      'See Apple’s System Status page (developer.apple.com/system-status) for App Store Connect.',
    ],
    facts,
  )
}

const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the server’s name could not be found (DNS)',
  EAI_AGAIN: 'the server’s name could not be looked up (DNS)',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the server is unreachable',
}

export function network(
  reason: NetworkReason,
  request: string,
  causeCode: string | null,
  facts: DiagnosisFacts,
): Diagnosis {
  switch (reason) {
    case 'timeout':
      return diagnosis(
        'network.timeout',
        'App Store Connect did not answer in time',
        `No answer came to ${request} in time, so nothing is known about the key yet.`,
        [
          'Check your internet connection, then check again.',
          'If it keeps happening, a slow proxy or VPN may be in the way, or App Store Connect may be slow (developer.apple.com/system-status).',
        ],
        facts,
      )
    case 'tls':
      return diagnosis(
        'network.tls',
        'The secure connection could not be trusted',
        `The connection for ${request} did not pass the security check${causeCode ? ` (${causeCode})` : ''}: the server did not prove it is App Store Connect. Nothing was sent to it but the request.`,
        [
          'Something between this computer and Apple is intercepting secure connections, often a company proxy or security software: try another network, or ask your IT team to let api.appstoreconnect.apple.com through.',
          'Check that the clock is right: certificates are refused when the date is far off.',
        ],
        facts,
      )
    case 'offline':
    case 'reset': {
      const cause =
        reason === 'reset'
          ? 'the connection was cut off'
          : ((causeCode && CAUSES[causeCode]) ?? 'no connection could be made')
      return diagnosis(
        'network.offline',
        'Ascent could not reach App Store Connect',
        `${request} did not get through: ${cause}. Nothing is known about the key yet.`,
        [
          'Check your internet connection, then check again.',
          'If you use a VPN, proxy or firewall, make sure it lets api.appstoreconnect.apple.com through.',
        ],
        facts,
      )
    }
  }
}

const BAD_RESPONSES: Record<BadResponseReason | 'status', string> = {
  html: 'a web page instead of Apple’s data. A Wi-Fi login page (hotel, airport), a proxy or a filter answered in Apple’s place',
  not_json: 'something that is not Apple’s data',
  truncated: 'an answer that stopped part-way',
  shape: 'data that does not have the shape Apple documents',
  foreign_link: 'a link that leads away from App Store Connect, which Ascent does not follow',
  redirect: 'a redirect, which App Store Connect never sends',
  status: 'an error Ascent did not expect for this request',
}

export function badResponse(
  reason: BadResponseReason | 'status',
  request: string,
  facts: DiagnosisFacts,
): Diagnosis {
  return diagnosis(
    'apple.bad_response',
    'App Store Connect sent an unexpected answer',
    `${request} got back ${BAD_RESPONSES[reason]}. Nothing is known about the key yet.`,
    [
      reason === 'html'
        ? 'If you are on a public Wi-Fi, open a web page in your browser to finish its login, then check again.'
        : 'Check again in a moment: a cut-off or garbled answer is usually passing.',
      'If it keeps happening, a proxy or security software may be changing the traffic: try another network.',
    ],
    facts,
  )
}
