/**
 * npm speaks in this checkout: a mistyped script gets npm's own error, and the sandbox's JSON
 * still comes first on stdout the way the README says to ask for it (`npm run -s`). npm runs with
 * an empty user and global config, so only the checkout's own settings count.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let folder: string
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-npm-test-'))
  await writeFile(join(folder, 'user-npmrc'), '')
  await writeFile(join(folder, 'global-npmrc'), '')
  env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name)),
  )
  env.NPM_CONFIG_USERCONFIG = join(folder, 'user-npmrc')
  env.NPM_CONFIG_GLOBALCONFIG = join(folder, 'global-npmrc')
})

afterAll(() => rm(folder, { recursive: true, force: true }))

describe('npm in this checkout', () => {
  it('says so when a script name is mistyped', async () => {
    const npm = spawn('npm', ['run', 'demoo'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    npm.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => npm.on('close', resolve))
    expect(code).not.toBe(0)
    expect(stderr).toContain('Missing script: "demoo"')
    expect(stderr).toContain('npm run demo')
  })

  it('`npm run -s sandbox -- --json` prints the JSON first, and the sandbox stops on SIGTERM', async () => {
    const npm = spawn('npm', ['run', '-s', 'sandbox', '--', '--json'], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const lines = createInterface({ input: npm.stdout })
    const ended = new Promise<void>((resolve) => lines.once('close', resolve))
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve)
      void ended.then(() => reject(new Error('npm run -s sandbox printed nothing')))
    })
    const summary = JSON.parse(first) as { url: string; keyDir: string }
    expect(summary.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(existsSync(summary.keyDir)).toBe(true)
    process.kill(-(npm.pid ?? 0), 'SIGTERM')
    await ended
    expect(existsSync(summary.keyDir)).toBe(false)
  })
})
