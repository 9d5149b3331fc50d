/**
 * What the demo prints first: the sandbox's teams and key files, then a short walk through what
 * to try, named from the sandbox's own data (which key to add first, which team has unsigned
 * agreements, which key is revoked).
 */
import { basename } from 'node:path'
import { ROLE_LABELS } from '../../src/shared/keys'
import type { SandboxKey, SandboxTeam } from '../../test/sandbox'

export interface WalkInput {
  sandboxUrl: string
  latencyMs: number
  keyDir: string
  teams: SandboxTeam[]
  bigApp: { id: string; name: string; buildCount: number }
  /** 'Ctrl+' on Linux, '⌘' on a Mac, as the renderer reads shortcuts. */
  commandKey: string
  /** How "Choose File…" works here, e.g. "lists the key files in the window". */
  chooseFile: string
}

const fileName = (key: SandboxKey) =>
  key.p8Path ? basename(key.p8Path) : `AuthKey_${key.keyId}.p8`

function describeKey(key: SandboxKey): string {
  const kind = key.type === 'team' ? 'team key' : 'individual key, no issuer ID'
  return [ROLE_LABELS[key.role], kind, ...(key.revoked ? ['revoked'] : [])].join(' · ')
}

/** What the window's picker shows beside a key file, in the order the demo lists the keys. */
export function keyFileNote(
  teams: SandboxTeam[],
  path: string,
): { note: string; order: number } | null {
  const keys = teams.flatMap((team) => team.keys.map((key) => ({ team, key })))
  const order = keys.findIndex(({ key }) => key.p8Path === path)
  const found = keys[order]
  return found ? { note: `${found.team.name} · ${describeKey(found.key)}`, order } : null
}

export function demoIntro(input: WalkInput): string {
  const { teams, commandKey } = input
  const nameWidth = Math.max(...teams.map((team) => team.name.length))
  const lines = [
    `Apple sandbox: ${input.sandboxUrl} (${input.latencyMs} ms per request).`,
    'Keys go to a keyring of the demo’s own; yours is never touched.',
    `Key files: ${input.keyDir}`,
  ]
  for (const team of teams) {
    const note = team.agreementsSigned ? '' : '  agreements unsigned'
    lines.push('', `  ${team.name.padEnd(nameWidth)}  issuer ID ${team.issuerId}${note}`)
    for (const key of team.keys) lines.push(`    ${fileName(key)}  ${describeKey(key)}`)
  }

  const first = teams
    .filter((team) => team.agreementsSigned)
    .sort(
      (a, b) =>
        Number(b.appIds.includes(input.bigApp.id)) - Number(a.appIds.includes(input.bigApp.id)),
    )
    .flatMap((team) => team.keys.map((key) => ({ team, key })))
    .find(({ key }) => key.role === 'ADMIN' && key.type === 'team' && !key.revoked)
  const unsigned = teams
    .filter((team) => !team.agreementsSigned)
    .flatMap((team) => team.keys.filter((key) => !key.revoked).map((key) => ({ team, key })))[0]
  const revoked = teams.flatMap((team) =>
    team.keys.filter((key) => key.revoked).map((key) => ({ team, key })),
  )[0]

  const steps: string[] = []
  if (first) {
    steps.push(
      `${commandKey}N opens Add API Key. Bring in ${fileName(first.key)} (${first.team.name}, ${ROLE_LABELS[first.key.role]}) any of three ways: “Choose File…” (${input.chooseFile}), drop the file on the window, or copy its text and press ${commandKey}V. Its issuer ID is ${first.team.issuerId}; the key ID comes from the file name.`,
    )
    if (first.team.appIds.includes(input.bigApp.id)) {
      steps.push(
        `Open ${input.bigApp.name}: ${input.bigApp.buildCount.toLocaleString('en-US')} TestFlight builds by version, some flagged as needing attention.`,
      )
    }
  }
  if (unsigned) {
    steps.push(
      `Add ${fileName(unsigned.key)} (${unsigned.team.name}, issuer ID ${unsigned.team.issuerId}): the team’s agreements are unsigned, and the check names that as the cause.`,
    )
  }
  if (revoked) {
    steps.push(
      `Add ${fileName(revoked.key)} (${revoked.team.name}): the key is revoked, so Apple answers 401 and the check lists what to look at.`,
    )
  }
  lines.push('', 'Try this:')
  steps.forEach((step, index) => lines.push(...wrap(step, `  ${index + 1}. `, '     ')))
  lines.push(
    ...wrap(
      'Links such as “Open in App Store Connect” are printed here instead of opened.',
      '  ',
      '  ',
    ),
  )
  return lines.join('\n')
}

const WIDTH = 100

/** Breaks `text` between words into lines of at most WIDTH columns (a longer word stands alone). */
function wrap(text: string, firstPrefix: string, restPrefix: string): string[] {
  const lines: string[] = []
  let line = firstPrefix
  for (const word of text.split(' ')) {
    const prefix = lines.length === 0 ? firstPrefix : restPrefix
    if (line !== prefix && line.length + 1 + word.length > WIDTH) {
      lines.push(line)
      line = restPrefix + word
    } else {
      line = line === prefix ? line + word : `${line} ${word}`
    }
  }
  lines.push(line)
  return lines
}
