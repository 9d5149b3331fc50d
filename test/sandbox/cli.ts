/**
 * `npm run sandbox [-- options]`: runs the Apple sandbox alone until stopped (Ctrl+C / SIGTERM).
 * Prints its URL and the seeded teams' credentials; the `.p8` files are written 0600 into a fresh
 * temp dir that is deleted when the sandbox stops. With `--json`, the first line of stdout is one
 * JSON object (run `npm run -s sandbox -- --json` or `tsx test/sandbox/cli.ts --json`: without -s,
 * npm prints its "> script" banner first): { url, seed, keyDir, teams: [{ name, issuerId,
 * agreementsSigned, appIds, keys: [{ keyId, name, role, type, revoked, p8Path }] }],
 * fixtures: { bigApp: { id, name, bundleId, buildCount }, scale: { teamName, appCount, hugeApp }
 * | null, individualAppIds, attentionCounts } }.
 */
import { parseArgs } from 'node:util'
import { parseFaultSpec } from './faults'
import { startSandbox } from './index'
import type { Sandbox } from './index'

const usage = `Usage: npm run sandbox -- [options]
  --port N          listen on 127.0.0.1:N (default: a free port)
  --seed N          data seed (default 1)
  --latency MS      add MS of latency to every request
  --rate-limit N    requests per key per rolling hour (default 3600)
  --no-retry-after  answer 429 without a Retry-After header
  --fault SPEC      a fault switch, repeatable: <kind>[:<value>][,key=KEYID][,path=/v1/...][,times=N]
                    kinds: latency:MS, error[:500|503], html[:502|503], truncate, reset, hang[:headers]
  --json            print one JSON line with the URL and credentials first
                    (npm run -s sandbox -- --json: -s keeps npm's banner out)
  --scale           add Tailspin Toys: 500 apps, one with 100,000 builds (slow to seed)
  --help            show this text`

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new Error(`--${name} needs a whole number, not '${value}'`)
  return Number(value)
}

function printHuman(sandbox: Sandbox): void {
  const summary = sandbox.describe()
  console.log(`Apple sandbox listening on ${summary.url} (seed ${summary.seed})`)
  console.log(`Key files: ${summary.keyDir ?? '(none)'}`)
  for (const team of sandbox.teams) {
    const note = team.agreementsSigned ? '' : '  (agreements unsigned: every request answers 403)'
    console.log(`\n${team.name}  issuer ${team.issuerId}  ${team.appIds.length} apps${note}`)
    for (const key of team.keys) {
      const flags = key.revoked ? ' REVOKED' : ''
      console.log(
        `  ${key.keyId}  ${key.role.padEnd(11)} ${key.type.padEnd(10)} ${key.name}${flags}\n    ${key.p8Path ?? ''}`,
      )
    }
  }
  const { bigApp } = sandbox.fixtures
  console.log(`\nBig app: ${bigApp.name} (${bigApp.id}), ${bigApp.buildCount} builds`)
  const { scale } = sandbox.fixtures
  if (scale) {
    console.log(
      `Scale team: ${scale.teamName}, ${scale.appCount} apps; ${scale.hugeApp.name} (${scale.hugeApp.id}), ${scale.hugeApp.buildCount} builds`,
    )
  }
  console.log('Admin endpoints: GET /__sandbox, /__sandbox/faults, /__sandbox/requests …')
  console.log('Press Ctrl+C to stop.')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      'rate-limit': { type: 'string' },
      'no-retry-after': { type: 'boolean' },
      fault: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      scale: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const sandbox = await startSandbox({
    port: integer('port', values.port),
    seed: integer('seed', values.seed),
    latencyMs: integer('latency', values.latency),
    hourlyLimit: integer('rate-limit', values['rate-limit']),
    retryAfter: !values['no-retry-after'],
    faults: (values.fault ?? []).map(parseFaultSpec),
    keyFiles: true,
    scale: values.scale,
  })
  // A reader may take the first line and close the pipe; the sandbox keeps serving.
  process.stdout.on('error', () => undefined)
  if (values.json) console.log(JSON.stringify(sandbox.describe()))
  else printHuman(sandbox)

  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  console.error(usage)
  process.exit(2)
})
