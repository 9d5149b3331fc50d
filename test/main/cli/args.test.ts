import { describe, expect, it } from 'vitest'
import type { TeamSummary } from '../../../src/shared/contract'
import { main } from '../../../src/main/cli'
import { parseCommandLine } from '../../../src/main/cli/args'
import { COMMAND_HELP, COMMANDS } from '../../../src/main/cli/help'
import { matchTeam } from '../../../src/main/cli/saved'
import packageInfo from '../../../package.json'

async function run(argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(
    argv,
    {},
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    },
  )
  return { code, stdout, stderr }
}

describe('help and version', () => {
  it.each(COMMANDS)(
    'ascent help %s and ascent %s --help print that command’s page',
    async (name) => {
      const viaHelp = await run(['help', name])
      const viaFlag = await run([name, '--help'])
      expect(viaHelp).toEqual({ code: 0, stdout: COMMAND_HELP[name], stderr: '' })
      expect(viaFlag).toEqual(viaHelp)
      expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: ascent ${name}\\b`))
    },
  )

  it('prints the version', async () => {
    expect(await run(['--version'])).toEqual({
      code: 0,
      stdout: `ascent ${packageInfo.version}\n`,
      stderr: '',
    })
  })

  it('refuses help on a command that does not exist, in one line', async () => {
    expect(await run(['help', 'frob'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ascent: There is no command "frob".\nSee ascent help.\n',
    })
  })
})

describe('parseCommandLine', () => {
  it('takes --team instead of the key flags for doctor and token, never with them', () => {
    expect(parseCommandLine(['token', '--team', 'Northwind'])).toMatchObject({
      command: 'token',
      source: { kind: 'team', team: 'Northwind' },
    })
    expect(parseCommandLine(['doctor', '--team', 'X', '--issuer-id', 'u'])).toEqual({
      command: 'usage_error',
      message: '--team names a saved key; leave out --issuer-id.',
      topic: 'doctor',
    })
    expect(parseCommandLine(['add', '--team', 'X'])).toMatchObject({
      message: '--team is not an option of ascent add.',
    })
  })

  it('checks export’s arguments', () => {
    expect(parseCommandLine(['export', '--team', 'N', '--format', 'P8'])).toEqual({
      command: 'export',
      team: 'N',
      format: 'p8',
      out: null,
      force: false,
    })
    const errors = [
      [['export', '--format', 'p8'], 'Name the saved key to export: --team NAME or --team KEYID.'],
      [['export', '--team', 'N'], 'Name a format: --format fastlane, p8 or env.'],
      [['export', '--team', 'N', '--format', 'pem'], '--format is fastlane, p8 or env, not "pem".'],
      [
        ['export', '--team', 'N', '--format', 'p8', '--out', '-', '--force'],
        '--force replaces a file; --out - writes none.',
      ],
    ] as const
    for (const [argv, message] of errors) {
      expect(parseCommandLine(argv)).toEqual({ command: 'usage_error', message, topic: 'export' })
    }
  })

  it('names a bad option in one sentence, quoting no more than its start', () => {
    expect(parseCommandLine(['teams', '--bogus'])).toEqual({
      command: 'usage_error',
      message: 'Unknown option "--bogus".',
      topic: 'teams',
    })
  })
})

describe('matchTeam', () => {
  const team = (name: string, keyId: string, id = keyId): TeamSummary => ({
    id,
    name,
    keyType: 'team',
    issuerId: '57246542-96fe-1a63-e053-0824d011072a',
    keyId,
    role: null,
    roleVerified: false,
    fingerprintShort: '',
    createdAt: '',
    lastValidatedAt: null,
    status: 'verified',
    statusDetail: null,
  })
  const teams = [team('Northwind Labs', 'AAAAAAAAAA'), team('Fabrikam', 'BBBBBBBBBB', 'OLDKEYID00')]

  it('finds a team by name, key ID or team ID in any case, or by a unique start of its name', () => {
    for (const query of ['northwind labs', 'aaaaaaaaaa', 'North']) {
      expect(matchTeam(teams, query)).toMatchObject({
        kind: 'found',
        team: { keyId: 'AAAAAAAAAA' },
      })
    }
    expect(matchTeam(teams, 'OLDKEYID00')).toMatchObject({ team: { name: 'Fabrikam' } })
  })

  it('never guesses between two, and lists every team when none matches', () => {
    const twins = [...teams, team('Northwind Labs', 'CCCCCCCCCC')]
    expect(matchTeam(twins, 'Northwind Labs')).toMatchObject({ kind: 'ambiguous' })
    expect(matchTeam([...teams, team('Northwind Mobile', 'DDDDDDDDDD')], 'North')).toMatchObject({
      kind: 'ambiguous',
    })
    expect(matchTeam(teams, 'Contoso')).toEqual({ kind: 'none', teams })
  })
})
