/**
 * The demo's opening text names, from the sandbox's own data, where the key files are, which key
 * to add first, which team has unsigned agreements and which key is revoked.
 */
import { basename } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoIntro, keyFileNote, type WalkInput } from '../../../scripts/demo/walk'
import { startSandbox, type Sandbox } from '../../sandbox'

let sandbox: Sandbox
let input: WalkInput

beforeAll(async () => {
  sandbox = await startSandbox({ keyFiles: true })
  input = {
    sandboxUrl: sandbox.url,
    latencyMs: 80,
    keyDir: sandbox.describe().keyDir ?? '',
    teams: sandbox.teams,
    bigApp: sandbox.fixtures.bigApp,
    commandKey: 'Ctrl+',
    chooseFile: 'lists the key files in the window',
  }
})

afterAll(() => sandbox.close())

const fileOf = (p8Path: string | null) => basename(p8Path ?? '')

/** The "Try this" steps, each joined back into one line. */
function steps(text: string): string[] {
  const walk = text.slice(text.indexOf('Try this:'))
  return walk
    .split(/\n {2}\d\. /)
    .slice(1)
    .map((step) => step.replace(/\n\s+/g, ' ').trim())
}

describe('the demo’s opening text', () => {
  it('lists every key file by team, where they are, and what each key is', () => {
    const text = demoIntro(input)
    expect(text).toContain(`Key files: ${input.keyDir}`)
    for (const team of sandbox.teams) {
      expect(text).toMatch(new RegExp(`^ {2}${team.name} +issuer ID ${team.issuerId}`, 'm'))
      for (const key of team.keys) expect(text).toContain(`    ${fileOf(key.p8Path)}  `)
    }
    const revoked = sandbox.findKey({ revoked: true })
    expect(text).toContain(`${fileOf(revoked.p8Path)}  App Manager · team key · revoked`)
    expect(text).toMatch(/Contoso Games +issuer ID \S+ {2}agreements unsigned/)
  })

  it('walks through the first key by each intake, the unsigned team and the revoked key', () => {
    const [first, bigApp, unsigned, revoked, ...rest] = steps(demoIntro(input))
    const admin = sandbox.findKey({ team: 'northwind', role: 'ADMIN', type: 'team' })
    expect(first).toContain(`Ctrl+N opens Add API Key. Bring in ${fileOf(admin.p8Path)}`)
    expect(first).toContain('“Choose File…” (lists the key files in the window)')
    expect(first).toContain('drop the file on the window')
    expect(first).toContain('press Ctrl+V')
    expect(first).toContain(`Its issuer ID is ${admin.issuerId}`)
    expect(bigApp).toContain('Open Northwind Mail: 5,000 TestFlight builds')
    const contoso = sandbox.findKey({ team: 'contoso' })
    expect(unsigned).toContain(`Add ${fileOf(contoso.p8Path)} (Contoso Games`)
    expect(unsigned).toContain('agreements are unsigned')
    const old = sandbox.findKey({ revoked: true })
    expect(revoked).toContain(`Add ${fileOf(old.p8Path)} (Fabrikam Studio): the key is revoked`)
    expect(rest).toEqual([])
  })

  it('keeps to 100 columns where it wraps, and names ⌘ on a Mac', () => {
    const text = demoIntro({ ...input, commandKey: '⌘' })
    const walk = text.slice(text.indexOf('Try this:')).split('\n')
    for (const line of walk) expect(line.length).toBeLessThanOrEqual(100)
    expect(text).toContain('⌘N opens Add API Key')
    expect(text).toContain('press ⌘V')
  })

  it('leaves out a step the sandbox has nothing for', () => {
    const signed = sandbox.teams.map((team) => ({ ...team, agreementsSigned: true }))
    const text = demoIntro({ ...input, teams: signed })
    expect(text).not.toContain('unsigned')
    expect(steps(text)).toHaveLength(3)
  })
})

describe('the picker’s notes', () => {
  it('name the team and the key, in the order the text lists them', () => {
    const keys = sandbox.teams.flatMap((team) => team.keys)
    const revoked = sandbox.findKey({ revoked: true })
    expect(keyFileNote(sandbox.teams, revoked.p8Path ?? '')).toEqual({
      note: 'Fabrikam Studio · App Manager · team key · revoked',
      order: keys.indexOf(revoked),
    })
    expect(keyFileNote(sandbox.teams, keys[0]?.p8Path ?? '')?.order).toBe(0)
    expect(keyFileNote(sandbox.teams, '/elsewhere/AuthKey_X.p8')).toBeNull()
  })
})
