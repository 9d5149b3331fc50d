/**
 * `ascent doctor` and `ascent token`, run in-process through `main(argv, env, io)` against the
 * Apple sandbox, plus one real process (`tsx src/main/cli.ts`) for the entry point and exit codes.
 * Every run's output is scanned for the private keys.
 */
import { execFile } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { createPublicKey } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/main/cli'
import { parseKeyText } from '../../src/main/keys/parse'
import { expectSpecKept, specCheckingFetch } from './asc/support'
import type { Sandbox, SandboxKey } from '../sandbox'
import { startSandbox } from '../sandbox'

const root = resolve(import.meta.dirname, '../..')
let sandbox: Sandbox
let scratch: string
const secrets: string[] = []

beforeAll(async () => {
  sandbox = await startSandbox({ keyFiles: true })
  scratch = await mkdtemp(join(tmpdir(), 'ascent-cli-'))
  for (const key of sandbox.teams.flatMap((team) => team.keys)) rememberSecret(key.privateKeyPem)
})

afterAll(async () => {
  await sandbox.close()
  await rm(scratch, { recursive: true, force: true })
})

/** Every form a key could leak in: its PEM lines, its body, and base64 of the whole PEM. */
function rememberSecret(pem: string): void {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
  secrets.push(...pem.split('\n').filter((line) => line.length > 20 && !line.startsWith('-----')))
  secrets.push(body.slice(0, 32), body.slice(-32), Buffer.from(pem).toString('base64').slice(0, 40))
}

interface Run {
  code: number
  stdout: string
  stderr: string
}

async function run(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, env, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd: scratch,
  })
  expectNoSecret(stdout + stderr)
  return { code, stdout, stderr }
}

function expectNoSecret(output: string): void {
  expect(output).not.toContain('PRIVATE KEY')
  for (const secret of secrets) expect(output).not.toContain(secret)
}

const admin = () => sandbox.findKey({ team: 'northwind', role: 'ADMIN', type: 'team' })
const developer = () => sandbox.findKey({ team: 'northwind', role: 'DEVELOPER', type: 'team' })
const individual = () => sandbox.findKey({ team: 'northwind', type: 'individual' })

function keyArgs(key: SandboxKey): string[] {
  return key.type === 'team'
    ? ['--issuer-id', key.issuerId!, '--p8', key.p8Path!]
    : ['--individual', '--p8', key.p8Path!]
}

function doctor(key: SandboxKey, ...extra: string[]): Promise<Run> {
  return run(['doctor', ...keyArgs(key), '--api-base', sandbox.url, '--json', ...extra])
}

function json(
  result: Run,
): Record<string, unknown> & { code: string; key: Record<string, unknown> } {
  return JSON.parse(result.stdout) as Record<string, unknown> & {
    code: string
    key: Record<string, unknown>
  }
}

describe('ascent doctor', () => {
  it('exits 0 for a working team key, with one JSON object: diagnosis, steps, warnings', async () => {
    const result = await doctor(admin())
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
    const output = json(result)
    expect(Object.keys(output).sort()).toEqual(
      [
        'apiBase',
        'code',
        'detail',
        'facts',
        'hints',
        'key',
        'ok',
        'steps',
        'title',
        'warnings',
      ].sort(),
    )
    expect(output).toMatchObject({
      ok: true,
      code: 'ok',
      warnings: [],
      apiBase: sandbox.url,
      key: {
        type: 'team',
        keyId: admin().keyId,
        issuerId: admin().issuerId,
        role: 'ADMIN',
        roleVerified: true,
      },
    })
    const steps = output.steps as { id: string; state: string }[]
    expect(steps.map((step) => `${step.id}:${step.state}`)).toEqual([
      'parse:passed',
      'sign:passed',
      'auth:passed',
      'apps:passed',
      'testflight:passed',
      'users:passed',
    ])
    expect(result.stderr).toContain('Note: this is not Apple’s API')
  })

  it('exits 0 for a working individual key', async () => {
    const result = await doctor(individual())
    expect(result.code).toBe(0)
    expect(json(result).key).toMatchObject({ type: 'individual', issuerId: null, role: null })
  })

  it('reads ASC_ISSUER_ID, ASC_KEY_ID and ASC_KEY_P8_BASE64', async () => {
    const key = admin()
    const result = await run(['doctor', '--api-base', sandbox.url, '--json'], {
      ASC_ISSUER_ID: key.issuerId!,
      ASC_KEY_ID: key.keyId,
      ASC_KEY_P8_BASE64: Buffer.from(key.privateKeyPem).toString('base64'),
    })
    expect(result.code).toBe(0)
    expect(json(result).key).toMatchObject({ keyId: key.keyId, issuerId: key.issuerId })
    expect(result.stderr).toContain('Decoded a base64-encoded PEM')
  })

  it('lets flags win over the environment', async () => {
    const result = await run(
      [
        'doctor',
        '--key-id',
        admin().keyId,
        '--p8',
        admin().p8Path!,
        '--api-base',
        sandbox.url,
        '--json',
      ],
      { ASC_ISSUER_ID: admin().issuerId!, ASC_KEY_ID: developer().keyId },
    )
    expect(result.code).toBe(0)
    expect(json(result).key.keyId).toBe(admin().keyId)
  })

  it('reads a fastlane API key file, team or individual', async () => {
    const teamFile = join(scratch, 'team.json')
    await writeFile(
      teamFile,
      JSON.stringify({
        key_id: developer().keyId,
        issuer_id: developer().issuerId,
        key: developer().privateKeyPem,
      }),
    )
    const team = await run([
      'doctor',
      '--fastlane-json',
      teamFile,
      '--api-base',
      sandbox.url,
      '--json',
    ])
    expect(team.code).toBe(0)
    expect(json(team).key).toMatchObject({ type: 'team', keyId: developer().keyId })

    const individualFile = join(scratch, 'individual.json')
    await writeFile(
      individualFile,
      JSON.stringify({ key_id: individual().keyId, key: individual().privateKeyPem }),
    )
    const person = await run([
      'doctor',
      '--fastlane-json',
      individualFile,
      '--api-base',
      sandbox.url,
      '--json',
    ])
    expect(person.code).toBe(0)
    expect(json(person).key).toMatchObject({ type: 'individual', keyId: individual().keyId })
  })

  it('prints the steps and the outcome as text without --json', async () => {
    const result = await run([
      'doctor',
      ...keyArgs(developer()),
      '--api-base',
      sandbox.url,
      '--role',
      'developer',
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('✓ The key works [ok]')
    expect(result.stdout).toContain('– Can manage users (Admin only)')
    expect(result.stdout).toContain('Role: Developer (as you said; Apple can’t confirm it)')
  })

  it('exits 1 with auth.rejected for a revoked key', async () => {
    const result = await doctor(sandbox.findKey({ team: 'fabrikam', revoked: true }))
    expect(result.code).toBe(1)
    expect(json(result)).toMatchObject({
      ok: false,
      code: 'auth.rejected',
      facts: { httpStatus: 401, appleErrorCode: 'NOT_AUTHORIZED' },
    })
  })

  it('exits 1 for an individual key checked as a team key, naming the flag to use', async () => {
    const key = individual()
    const result = await run([
      'doctor',
      '--issuer-id',
      admin().issuerId!,
      '--p8',
      key.p8Path!,
      '--api-base',
      sandbox.url,
      '--json',
    ])
    expect(result.code).toBe(1)
    expect(json(result)).toMatchObject({
      code: 'auth.rejected',
      title: 'This is an individual key',
      hints: ['Check it again as an individual key: pass --individual instead of --issuer-id.'],
    })
  })

  it('exits 1 with the intake’s own reason for a key that is not an App Store Connect key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    rememberSecret(rsa)
    const path = join(scratch, 'AuthKey_ABCDEFGHIJ.p8')
    await writeFile(path, rsa)
    const result = await run([
      'doctor',
      '--issuer-id',
      admin().issuerId!,
      '--p8',
      path,
      '--api-base',
      sandbox.url,
      '--json',
    ])
    expect(result.code).toBe(1)
    const refusal = parseKeyText(rsa)
    expect(refusal.ok).toBe(false)
    expect(json(result)).toMatchObject({
      code: 'input.private_key_invalid',
      detail: refusal.ok ? null : refusal.refusal.message,
    })
  })

  it('exits 1 with input.issuer_id_invalid for a malformed issuer ID', async () => {
    const result = await run([
      'doctor',
      '--issuer-id',
      'northwind',
      '--p8',
      admin().p8Path!,
      '--json',
    ])
    expect(result.code).toBe(1)
    expect(json(result).code).toBe('input.issuer_id_invalid')
  })

  it('exits 1 with team.not_found for --app-id of another team’s app', async () => {
    const fabrikamApp = sandbox.teams.find((team) => team.name.startsWith('Fabrikam'))!.appIds[0]!
    const result = await doctor(admin(), '--app-id', fabrikamApp)
    expect(result.code).toBe(1)
    expect(json(result)).toMatchObject({ code: 'team.not_found', facts: { httpStatus: 404 } })

    const ownApp = sandbox.teams.find((team) => team.name.startsWith('Northwind'))!.appIds[0]!
    expect((await doctor(admin(), '--app-id', ownApp)).code).toBe(0)
  })

  it('names the API base and the failed request once each in its text report', async () => {
    const fabrikamApp = sandbox.teams.find((team) => team.name.startsWith('Fabrikam'))!.appIds[0]!
    const result = await run([
      'doctor',
      ...keyArgs(admin()),
      '--api-base',
      sandbox.url,
      '--app-id',
      fabrikamApp,
    ])
    expect(result.code).toBe(1)
    const output = result.stdout + result.stderr
    const count = (text: string) => output.split(text).length - 1
    expect(count(sandbox.url)).toBe(1)
    expect(count(`GET /v1/apps/${fabrikamApp}?`)).toBe(1)
    expect(result.stdout).toContain('answered 404 NOT_FOUND')
  })

  it('with --role, exits 1 when the key cannot do what the role does', async () => {
    const result = await doctor(developer(), '--role', 'admin')
    expect(result.code).toBe(1)
    expect(json(result)).toMatchObject({
      code: 'access.forbidden',
      facts: { request: 'GET /v1/users?limit=1', httpStatus: 403 },
    })
    expect((await doctor(developer(), '--role', 'developer')).code).toBe(0)
  })

  it('takes --role app-manager as given, never as verified, and says so', async () => {
    // A Developer key: no read tells it from an App Manager key, so the claim cannot be refuted.
    const claimed = await doctor(developer(), '--role', 'app-manager')
    expect(claimed.code).toBe(0)
    expect(json(claimed).key).toMatchObject({ role: 'APP_MANAGER', roleVerified: false })
    expect(claimed.stderr).toContain('Note: only --role admin can be checked')
    expect(claimed.stderr).toContain('not verified')

    const text = await run([
      'doctor',
      ...keyArgs(developer()),
      '--api-base',
      sandbox.url,
      '--role',
      'app-manager',
    ])
    expect(text.stdout).toContain('Role: App Manager (as you said; Apple can’t confirm it)')

    const admitted = await doctor(admin(), '--role', 'admin')
    expect(json(admitted).key).toMatchObject({ role: 'ADMIN', roleVerified: true })
    expect(admitted.stderr).not.toContain('only --role admin')
    expect((await doctor(developer())).stdout).toContain('"roleVerified":false')
    // An individual key has no role to take as given: no note.
    const individualRun = await doctor(individual(), '--role', 'developer')
    expect(individualRun.stderr).not.toContain('only --role admin')
  })

  it.each([
    [[]],
    [['frobnicate']],
    [['doctor']],
    [['doctor', '--bogus']],
    [['doctor', '--scope', 'GET /v1/apps']],
    [['doctor', '--api-base', 'ftp://example.com']],
    [['doctor', '--role', 'owner']],
    [['token', '--json']],
    [['token', '--lifetime', '1201']],
    [['token', '--lifetime', '60']],
  ])('exits 2 with one line and where the help is for %j', async (argv) => {
    const result = await run(argv)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    const topic = ['doctor', 'token'].find((name) => argv.includes(name))
    expect(result.stderr).toMatch(/^ascent: [^\n]+\n/)
    expect(result.stderr.split('\n').slice(1)).toEqual([
      `See ascent help${topic ? ` ${topic}` : ''}.`,
      '',
    ])
  })

  it('never repeats a key typed where an option or command was expected', async () => {
    const pem = admin().privateKeyPem
    const base64 = Buffer.from(pem).toString('base64')
    for (const argv of [
      ['doctor', pem],
      ['doctor', `--role=${pem}`],
      ['token', '--scope', base64],
    ]) {
      const result = await run(argv)
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/^ascent: [^]+\nSee ascent help \w+\.\n$/)
      expect(result.stderr).toContain('redacted]')
    }
  })

  it('exits 2 for a --p8 or --fastlane-json path with no file, naming the flag', async () => {
    for (const flag of ['--p8', '--fastlane-json']) {
      const result = await run([
        'doctor',
        '--issuer-id',
        admin().issuerId!,
        flag,
        'AuthKey_NOWHERE123.p8',
      ])
      expect(result.code).toBe(2)
      expect(result.stderr).toBe(
        `ascent: ${flag}: no such file: "AuthKey_NOWHERE123.p8"\nSee ascent help doctor.\n`,
      )
    }
    const token = await run(['token', '--individual', '--p8', 'missing/AuthKey_NOWHERE123.p8'])
    expect(token.code).toBe(2)
    expect(token.stdout).toBe('')
    expect(token.stderr).toContain('--p8: no such file: "missing/AuthKey_NOWHERE…" (29 characters)')
  })

  it('never echoes a refused value in full, whatever it is', async () => {
    const long = (letter: string) => letter.repeat(300)
    for (const argv of [
      ['doctor', long('a')],
      [long('b')],
      ['doctor', `--${long('c')}`],
      ['doctor', `--${long('c')}=${long('d')}`],
      ['doctor', '--role', long('e')],
      ['doctor', '--api-base', `https://${long('f')}`],
      ['doctor', '--api-base', `http://${long('g')}.example`],
      ['token', '--scope', `GET ${long('h')} x`],
      ['doctor', '--issuer-id', admin().issuerId!, '--p8', long('i')],
      // Not base64 (spaces, punctuation), so redaction alone would not hide it.
      ['doctor', '--role', 'my secret pass phrase, typed where it should not be'],
    ]) {
      const result = await run(argv)
      expect(result.code, argv.join(' ').slice(0, 40)).toBe(2)
      const [firstLine = ''] = result.stderr.split('\n')
      expect(firstLine).not.toMatch(/([a-i])\1{24}/)
      expect(firstLine).not.toContain('typed where it should not be')
    }
  })

  it('allows plain http only to this computer for --api-base, as the app does', async () => {
    for (const base of ['http://api.appstoreconnect.apple.com', 'http://10.0.0.2:4010']) {
      const result = await run(['doctor', '--api-base', base, '--json'])
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/only to this computer/)
    }
    const loopback = await doctor(admin())
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:/)
    expect(loopback.code).toBe(0)
  })

  it('exits 2 when the issuer ID is missing, or given for an individual key', async () => {
    const missing = await run(['doctor', '--p8', admin().p8Path!])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('No issuer ID')
    const both = await run([
      'doctor',
      '--individual',
      '--issuer-id',
      admin().issuerId!,
      '--p8',
      admin().p8Path!,
    ])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('Individual keys have no issuer ID')
  })

  it('shows the overview for --help, exit 0', async () => {
    for (const argv of [['--help'], ['help'], ['-h']]) {
      const result = await run(argv)
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/^Usage: ascent <command>/)
      for (const command of ['doctor', 'token', 'teams', 'add', 'export']) {
        expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
      }
    }
  })
})

describe('ascent token', () => {
  it('prints a token that verifies with the public key, honouring --scope and --lifetime', async () => {
    const key = admin()
    const result = await run([
      'token',
      ...keyArgs(key),
      '--scope',
      'GET /v1/apps',
      '--scope',
      'GET /v1/betaGroups',
      '--lifetime',
      '600',
    ])
    expect(result.code).toBe(0)
    const token = result.stdout.trim()
    const { payload } = await jwtVerify(token, createPublicKey(key.privateKeyPem), {
      audience: 'appstoreconnect-v1',
      issuer: key.issuerId!,
      algorithms: ['ES256'],
    })
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: key.keyId, typ: 'JWT' })
    expect(payload.exp! - payload.iat!).toBe(600)
    expect(payload.scope).toEqual(['GET /v1/apps', 'GET /v1/betaGroups'])

    const spec = specCheckingFetch()
    const get = (path: string) =>
      spec.fetch(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${token}` } })
    expect((await get('/v1/apps?limit=1')).status).toBe(200)
    expect((await get('/v1/users?limit=1')).status).toBe(401)
    await expectSpecKept(spec)
  })

  it('signs at most 20 minutes by default, and individual keys with sub "user"', async () => {
    const key = individual()
    const result = await run(['token', ...keyArgs(key)])
    expect(result.code).toBe(0)
    const { payload } = await jwtVerify(result.stdout.trim(), createPublicKey(key.privateKeyPem), {
      audience: 'appstoreconnect-v1',
    })
    expect(payload.sub).toBe('user')
    expect(payload.iss).toBeUndefined()
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(1200)
  })

  it('notes on stderr what intake repaired, as doctor does, and still prints only the token', async () => {
    const key = admin()
    const env = {
      ASC_ISSUER_ID: key.issuerId!,
      ASC_KEY_ID: key.keyId,
      ASC_KEY_P8_BASE64: Buffer.from(key.privateKeyPem).toString('base64'),
    }
    const token = await run(['token'], env)
    expect(token.code).toBe(0)
    expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
    const doctorRun = await run(['doctor', '--api-base', sandbox.url, '--json'], env)
    const notes = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('Note: '))
    const repairs = notes(doctorRun.stderr).filter((line) => !line.includes('not Apple’s API'))
    expect(repairs.length).toBeGreaterThan(0)
    expect(notes(token.stderr)).toEqual(repairs)
  })

  it('exits 1 without a token for swapped IDs', async () => {
    const result = await run([
      'token',
      '--issuer-id',
      admin().keyId,
      '--key-id',
      admin().issuerId!,
      '--p8',
      admin().p8Path!,
    ])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('swapped')
  })
})

describe('the real entry points', () => {
  function spawn(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((done) => {
      execFile(
        command,
        args,
        { cwd: root, env: { PATH: process.env.PATH ?? '', ...env } },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
          expectNoSecret(stdout + stderr)
          done({ code, stdout, stderr })
        },
      )
    })
  }

  it('`tsx src/main/cli.ts` runs main and exits with its code', async () => {
    const tsx = join(root, 'node_modules/.bin/tsx')
    const key = admin()
    const [works, usage] = await Promise.all([
      spawn(tsx, ['src/main/cli.ts', 'doctor', '--api-base', sandbox.url, '--json'], {
        ASC_ISSUER_ID: key.issuerId!,
        ASC_KEY_ID: key.keyId,
        ASC_KEY_P8_BASE64: Buffer.from(key.privateKeyPem).toString('base64'),
      }),
      spawn(tsx, ['src/main/cli.ts', 'token', '--lifetime', '5000']),
    ])
    expect(works.code).toBe(0)
    expect(JSON.parse(works.stdout)).toMatchObject({ ok: true, code: 'ok' })
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('See ascent help token.')
  })

  it('bin/ascent.js asks for a build when out/main/cli.js is missing', async () => {
    const copy = join(scratch, 'package')
    await mkdir(join(copy, 'bin'), { recursive: true })
    await copyFile(join(root, 'bin/ascent.js'), join(copy, 'bin/ascent.js'))
    const result = await spawn(process.execPath, [join(copy, 'bin/ascent.js'), 'doctor'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('npm run build')
  })
})
