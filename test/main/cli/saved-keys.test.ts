/**
 * The command line on keys saved in Ascent, against the Apple sandbox and a private keyring (the
 * real Secret Service that run-with-keyring.js starts; the login Keychain under a service of the
 * test's own on a Mac): add → teams → token --team → export --team → doctor --team, and every
 * refusal on the way. Every output but `export --out -` is scanned for the private keys.
 */
import { randomBytes } from 'node:crypto'
import { createPublicKey } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TeamSummary } from '../../../src/shared/contract'
import { main } from '../../../src/main/cli'
import type { SecretStore } from '../../../src/main/secrets'
import { createKeyringSecretStore } from '../../../src/main/secrets'
import type { Sandbox, SandboxKey } from '../../sandbox'
import { startSandbox } from '../../sandbox'
import { fingerprintOfPem } from '../keys/inputs'

let sandbox: Sandbox
let scratch: string
let secrets: SecretStore
const pems: string[] = []

beforeAll(async () => {
  sandbox = await startSandbox({ keyFiles: true })
  scratch = await mkdtemp(join(tmpdir(), 'ascent-cli-saved-'))
  secrets = createKeyringSecretStore({ service: `Ascent-cli-${randomBytes(4).toString('hex')}` })
  for (const key of sandbox.teams.flatMap((team) => team.keys)) pems.push(key.privateKeyPem)
})

afterAll(async () => {
  for (const account of await secrets.accounts()) await secrets.delete(account)
  await sandbox.close()
  await rm(scratch, { recursive: true, force: true })
})

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Every form a key could leak in: its PEM lines, its body, and base64 of the whole PEM. */
function expectNoSecret(output: string): void {
  expect(output).not.toContain('PRIVATE KEY')
  for (const pem of pems) {
    const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
    for (const line of pem.split('\n').filter((text) => text.length > 20 && !text.startsWith('-')))
      expect(output).not.toContain(line)
    expect(output).not.toContain(body.slice(0, 32))
    expect(output).not.toContain(Buffer.from(pem).toString('base64').slice(0, 40))
  }
}

function runner(dataDir: string) {
  return async (
    argv: string[],
    env: Record<string, string> = {},
    options: { secretAllowed?: boolean } = {},
  ): Promise<Run> => {
    let stdout = ''
    let stderr = ''
    const code = await main(
      argv,
      { ASCENT_DATA_DIR: dataDir, ...env },
      {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        cwd: scratch,
        secrets,
      },
    )
    if (!options.secretAllowed) expectNoSecret(stdout)
    expectNoSecret(stderr)
    return { code, stdout, stderr }
  }
}

const admin = () => sandbox.findKey({ team: 'northwind', role: 'ADMIN', type: 'team' })
const developer = () => sandbox.findKey({ team: 'northwind', role: 'DEVELOPER', type: 'team' })
const appManager = () => sandbox.findKey({ team: 'northwind', role: 'APP_MANAGER', type: 'team' })

function addArgs(key: SandboxKey, ...extra: string[]): string[] {
  return [
    'add',
    ...(key.type === 'team' ? ['--issuer-id', key.issuerId!] : ['--individual']),
    '--p8',
    key.p8Path!,
    '--api-base',
    sandbox.url,
    ...extra,
  ]
}

async function savedDocument(dataDir: string) {
  return JSON.parse(await readFile(join(dataDir, 'keys.json'), 'utf8')) as {
    teams: (TeamSummary & { history: { kind: string; via?: string; format?: string }[] } & {
      lastUsedAt: string | null
      account: string
    })[]
  }
}

describe('a key’s life from the command line', () => {
  it('add → teams → token --team → export --team → doctor --team', async () => {
    const dataDir = await mkdtemp(join(scratch, 'data-'))
    const run = runner(dataDir)

    const none = await run(['teams'])
    expect(none).toMatchObject({ code: 0 })
    expect(none.stdout).toContain(`No keys are saved in ${dataDir}`)

    const added = await run(addArgs(admin(), '--role', 'admin', '--json'))
    expect(added.code).toBe(0)
    const addedJson = JSON.parse(added.stdout) as { ok: boolean; saved: TeamSummary }
    expect(addedJson.ok).toBe(true)
    // Named from the apps the key sees (com.northwind.*), as the wizard would suggest.
    expect(addedJson.saved).toMatchObject({
      name: 'Northwind',
      keyId: admin().keyId,
      issuerId: admin().issuerId,
      role: 'ADMIN',
      roleVerified: true,
      status: 'verified',
    })
    expect(await secrets.get(`${admin().issuerId}/${admin().keyId}`)).toBe(admin().privateKeyPem)
    const [saved] = (await savedDocument(dataDir)).teams
    expect(saved?.history).toEqual([{ kind: 'added', at: saved?.createdAt, via: 'cli' }])

    const listed = await run(['teams', '--json'])
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout)).toMatchObject({
      dataDir,
      teams: [{ name: 'Northwind', keyId: admin().keyId, active: true, status: 'verified' }],
    })
    const table = await run(['teams'])
    expect(table.stdout).toMatch(
      /^ {2}NAME +TYPE +KEY ID +ISSUER ID +ROLE +STATUS +LAST VALIDATED$/m,
    )
    expect(table.stdout).toMatch(new RegExp(`^\\* Northwind +team +${admin().keyId} +`, 'm'))
    expect(table.stdout).toContain('Admin (confirmed)')

    const token = await run(['token', '--team', 'northwind', '--scope', 'GET /v1/apps'])
    expect(token.code).toBe(0)
    const jwt = token.stdout.trim()
    await jwtVerify(jwt, createPublicKey(admin().privateKeyPem), { issuer: admin().issuerId! })
    const get = (path: string) =>
      fetch(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${jwt}` } })
    expect((await get('/v1/apps?limit=1')).status).toBe(200)
    expect((await get('/v1/users?limit=1')).status).toBe(401)
    expect((await savedDocument(dataDir)).teams[0]?.lastUsedAt).not.toBeNull()

    const p8 = join(scratch, `${admin().keyId}-export.p8`)
    const exported = await run(['export', '--team', admin().keyId, '--format', 'p8', '--out', p8])
    expect(exported).toMatchObject({ code: 0, stdout: `${p8}\n` })
    expect((await stat(p8)).mode & 0o777).toBe(0o600)
    expect(fingerprintOfPem(await readFile(p8, 'utf8'))).toBe(
      fingerprintOfPem(admin().privateKeyPem),
    )

    const checked = await run([
      'doctor',
      '--team',
      'Northwind',
      '--api-base',
      sandbox.url,
      '--json',
    ])
    expect(checked.code).toBe(0)
    expect(JSON.parse(checked.stdout)).toMatchObject({
      ok: true,
      key: { keyId: admin().keyId, role: 'ADMIN', roleVerified: true },
    })
    const history = (await savedDocument(dataDir)).teams[0]?.history ?? []
    expect(history.map((entry) => [entry.kind, entry.via])).toEqual([
      ['added', 'cli'],
      ['exported', 'cli'],
      ['checked', 'cli'],
    ])
  })

  it('exports each format as a file the sandbox accepts, never over a file, to stdout on request', async () => {
    const dataDir = await mkdtemp(join(scratch, 'data-'))
    const run = runner(dataDir)
    expect((await run(addArgs(developer(), '--name', 'Builds'))).code).toBe(0)

    const fastlane = join(scratch, 'builds-fastlane.json')
    expect(
      (await run(['export', '--team', 'Builds', '--format', 'fastlane', '--out', fastlane])).code,
    ).toBe(0)
    const json = JSON.parse(await readFile(fastlane, 'utf8')) as Record<string, unknown>
    expect(json).toMatchObject({
      key_id: developer().keyId,
      issuer_id: developer().issuerId,
      duration: 1200,
      in_house: false,
    })
    expect(fingerprintOfPem(json.key as string)).toBe(fingerprintOfPem(developer().privateKeyPem))
    const viaFastlane = await run([
      'doctor',
      '--fastlane-json',
      fastlane,
      '--api-base',
      sandbox.url,
      '--json',
    ])
    expect(JSON.parse(viaFastlane.stdout)).toMatchObject({
      ok: true,
      key: { keyId: developer().keyId },
    })

    const envFile = join(scratch, 'builds.env')
    const envRun = await run(['export', '--team', 'builds', '--format', 'env', '--out', envFile])
    expect(envRun.code).toBe(0)
    expect(envRun.stderr).toContain(`gh secret set --env-file ${envFile}`)
    const variables = Object.fromEntries(
      (await readFile(envFile, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    )
    expect(Object.keys(variables)).toEqual(['ASC_ISSUER_ID', 'ASC_KEY_ID', 'ASC_KEY_P8_BASE64'])
    const viaEnv = await run(['doctor', '--api-base', sandbox.url, '--json'], variables)
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({ ok: true, key: { keyId: developer().keyId } })

    // An existing file is never replaced without --force, and stays as it was.
    await writeFile(join(scratch, `AuthKey_${developer().keyId}.p8`), 'mine')
    const refused = await run(['export', '--team', 'Builds', '--format', 'p8'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/already exists, so nothing was exported\. Pass --force/)
    expect(await readFile(join(scratch, `AuthKey_${developer().keyId}.p8`), 'utf8')).toBe('mine')
    const forced = await run(['export', '--team', 'Builds', '--format', 'p8', '--force'])
    expect(forced.code).toBe(0)
    const written = join(scratch, `AuthKey_${developer().keyId}.p8`)
    expect(fingerprintOfPem(await readFile(written, 'utf8'))).toBe(
      fingerprintOfPem(developer().privateKeyPem),
    )
    expect((await stat(written)).mode & 0o777).toBe(0o600)

    const printed = await run(
      ['export', '--team', 'Builds', '--format', 'p8', '--out', '-'],
      {},
      {
        secretAllowed: true,
      },
    )
    expect(printed.code).toBe(0)
    expect(fingerprintOfPem(printed.stdout)).toBe(fingerprintOfPem(developer().privateKeyPem))

    const history = (await savedDocument(dataDir)).teams[0]?.history ?? []
    expect(
      history.filter((entry) => entry.kind === 'exported').map((entry) => entry.format),
    ).toEqual(['fastlane', 'env', 'p8', 'p8'])
    // The history names what was exported and where, never the key.
    expectNoSecret(await readFile(join(dataDir, 'keys.json'), 'utf8'))
  })

  it('saves from the CI variables, refuses the same key twice, and saves nothing Apple refused', async () => {
    const dataDir = await mkdtemp(join(scratch, 'data-'))
    const run = runner(dataDir)
    const key = appManager()
    const env = {
      ASC_ISSUER_ID: key.issuerId!,
      ASC_KEY_ID: key.keyId,
      ASC_KEY_P8_BASE64: Buffer.from(key.privateKeyPem).toString('base64'),
    }
    const added = await run(['add', '--api-base', sandbox.url, '--name', 'Release'], env)
    expect(added.code).toBe(0)
    expect(added.stdout).toContain(`Saved as “Release” (key ${key.keyId})`)

    const again = await run(addArgs(key))
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already saved as “Release”')
    expect((await savedDocument(dataDir)).teams).toHaveLength(1)

    const revoked = sandbox.findKey({ team: 'fabrikam', revoked: true })
    const refused = await run(addArgs(revoked, '--json'))
    expect(refused.code).toBe(1)
    expect(JSON.parse(refused.stdout)).toMatchObject({ code: 'auth.rejected', saved: null })
    expect(refused.stderr).toContain('Nothing was saved')
    expect((await savedDocument(dataDir)).teams.map((team) => team.keyId)).toEqual([key.keyId])
    expect(await secrets.get(`${revoked.issuerId}/${revoked.keyId}`)).toBeNull()

    // Swapped IDs: the hints name the flags, not the wizard's fields.
    const other = sandbox.findKey({ team: 'fabrikam', revoked: false })
    const swapped = await run([
      'add',
      '--issuer-id',
      other.keyId,
      '--key-id',
      other.issuerId!,
      '--p8',
      other.p8Path!,
      '--api-base',
      sandbox.url,
    ])
    expect(swapped.code).toBe(1)
    expect(swapped.stderr).toContain('Nothing was saved')
    expect(swapped.stdout).toContain('with --issuer-id')
    expect(swapped.stdout).not.toContain('in Issuer ID')
  })

  it('saves a key whose team is blocked by agreements, marked so', async () => {
    const dataDir = await mkdtemp(join(scratch, 'data-'))
    const run = runner(dataDir)
    const contoso = sandbox.findKey({ team: 'contoso' })
    const added = await run(addArgs(contoso, '--name', 'Contoso'))
    expect(added.code).toBe(0)
    expect(added.stdout).toContain('blocked by agreements until a check passes')
    const listed = JSON.parse((await run(['teams', '--json'])).stdout) as { teams: TeamSummary[] }
    expect(listed.teams[0]).toMatchObject({ name: 'Contoso', status: 'blocked_agreements' })
  })
})

describe('--team', () => {
  it('refuses a name two saved keys share, listing them, and a name none has', async () => {
    const dataDir = await mkdtemp(join(scratch, 'data-'))
    const run = runner(dataDir)
    expect((await run(addArgs(admin(), '--name', 'Northwind'))).code).toBe(0)
    expect((await run(addArgs(developer(), '--name', 'Northwind'))).code).toBe(0)

    const ambiguous = await run(['token', '--team', 'Northwind'])
    expect(ambiguous.code).toBe(2)
    expect(ambiguous.stdout).toBe('')
    expect(ambiguous.stderr.split('\n')).toEqual([
      'ascent: --team "Northwind" matches 2 saved keys; name one by its key ID:',
      `  Northwind  (key ${admin().keyId}, issuer ${admin().issuerId})`,
      `  Northwind  (key ${developer().keyId}, issuer ${developer().issuerId})`,
      'See ascent help token.',
      '',
    ])
    expect((await run(['token', '--team', developer().keyId])).code).toBe(0)

    const unknown = await run(['export', '--team', 'Fabrikam', '--format', 'p8'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('--team "Fabrikam" names no saved key. The saved keys:')
    expect(unknown.stderr).toContain('See ascent help export.')

    const mixed = await run(['doctor', '--team', 'Northwind', '--p8', admin().p8Path!])
    expect(mixed).toMatchObject({ code: 2 })
    expect(mixed.stderr).toBe(
      'ascent: --team names a saved key; leave out --p8.\nSee ascent help doctor.\n',
    )
  })

  it('exports nothing for a team whose keychain item is gone, and doctor says to re-import', async () => {
    const dataDir = await mkdtemp(join(scratch, 'data-'))
    const run = runner(dataDir)
    expect((await run(addArgs(admin(), '--name', 'Gone'))).code).toBe(0)
    await secrets.delete(`${admin().issuerId}/${admin().keyId}`)

    const out = join(scratch, 'gone.p8')
    const exported = await run(['export', '--team', 'Gone', '--format', 'p8', '--out', out])
    expect(exported.code).toBe(1)
    expect(exported.stderr).toContain('no longer in the')
    expect(exported.stderr).toContain(`Import AuthKey_${admin().keyId}.p8 again`)
    await expect(stat(out)).rejects.toThrow()

    const checked = await run(['doctor', '--team', 'Gone', '--api-base', sandbox.url, '--json'])
    expect(checked.code).toBe(1)
    expect(JSON.parse(checked.stdout)).toMatchObject({ code: 'input.private_key_invalid' })
    expect((await run(['token', '--team', 'Gone'])).code).toBe(1)
  })
})
