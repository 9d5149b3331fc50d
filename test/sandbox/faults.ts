/**
 * Fault switches: rules that make matching requests slow or broken, set at start or at run time.
 *
 * Where each kind acts:
 * - `latency`: added before anything else; every matching latency rule adds its `ms`.
 * - `html`, `reset`, `hang`, `truncate`: at the door, before authentication, like a proxy or the
 *   network failing (no X-Rate-Limit, not counted). `truncate` lets the request be answered, then
 *   sends the status and headers with only the first half of the body (a clean end, so the client
 *   sees invalid JSON). `hang` never answers; with `sendHeaders` it sends 200 and headers first.
 * - `error` (500 or 503 with Apple's UNEXPECTED_ERROR body): after the token was accepted and the
 *   request counted, so it carries X-Rate-Limit like Apple's own failures.
 * A rule matches when its `match.keyId` equals the key ID in the token's header (before the token is
 * checked) and `match.path` is a prefix of the request path; absent fields match everything. With
 * `times`, a rule is used that many times and then removed. The first matching rule of a stage wins.
 */
import { z } from 'zod'

export interface FaultMatch {
  keyId?: string
  /** A prefix of the request path, e.g. `/v1/builds`. */
  path?: string
}

interface RuleBase {
  match?: FaultMatch
  /** Use the rule this many times, then drop it; forever when absent. */
  times?: number
}

export type FaultRule = RuleBase &
  (
    | { kind: 'latency'; ms: number }
    | { kind: 'error'; status?: 500 | 503 }
    | { kind: 'html'; status?: 502 | 503 }
    | { kind: 'truncate' }
    | { kind: 'reset' }
    | { kind: 'hang'; sendHeaders?: boolean }
  )

export type FaultKind = FaultRule['kind']

const base = {
  match: z
    .object({ keyId: z.string().min(1).optional(), path: z.string().startsWith('/').optional() })
    .strict()
    .optional(),
  times: z.number().int().positive().optional(),
}

export const faultRuleSchema: z.ZodType<FaultRule> = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('latency'), ms: z.number().int().min(0).max(600_000), ...base })
    .strict(),
  z
    .object({ kind: z.literal('error'), status: z.literal([500, 503]).optional(), ...base })
    .strict(),
  z.object({ kind: z.literal('html'), status: z.literal([502, 503]).optional(), ...base }).strict(),
  z.object({ kind: z.literal('truncate'), ...base }).strict(),
  z.object({ kind: z.literal('reset'), ...base }).strict(),
  z.object({ kind: z.literal('hang'), sendHeaders: z.boolean().optional(), ...base }).strict(),
])

export const faultRulesSchema = z.union([faultRuleSchema, z.array(faultRuleSchema)])

/**
 * The CLI form: `<kind>[:<value>][,key=<KEYID>][,path=<prefix>][,times=<n>]`, where the value is the
 * latency in ms, the status of `error`/`html`, or `headers` for `hang`.
 * Examples: `latency:300`, `error:503,times=2`, `html`, `hang:headers,path=/v1/builds`.
 */
export function parseFaultSpec(spec: string): FaultRule {
  const [head = '', ...options] = spec.split(',')
  const [kind, value] = head.split(':', 2)
  const rule: Record<string, unknown> = { kind }
  if (value !== undefined) {
    if (kind === 'latency') rule.ms = Number(value)
    else if (kind === 'error' || kind === 'html') rule.status = Number(value)
    else if (kind === 'hang' && value === 'headers') rule.sendHeaders = true
    else throw new Error(`Unknown value '${value}' for fault '${kind}'`)
  }
  const match: FaultMatch = {}
  for (const option of options) {
    const [name, optionValue = ''] = option.split('=', 2)
    if (name === 'key') match.keyId = optionValue
    else if (name === 'path') match.path = optionValue
    else if (name === 'times') rule.times = Number(optionValue)
    else throw new Error(`Unknown fault option '${option}' in '${spec}'`)
  }
  if (Object.keys(match).length > 0) rule.match = match
  const parsed = faultRuleSchema.safeParse(rule)
  if (!parsed.success) throw new Error(`Invalid fault '${spec}': ${parsed.error.message}`)
  return parsed.data
}

interface ActiveRule {
  rule: FaultRule
  remaining: number | null
}

export class FaultBook {
  private rules: ActiveRule[] = []

  set(rules: readonly FaultRule[]): void {
    this.rules = []
    this.add(rules)
  }

  add(rules: readonly FaultRule[]): void {
    for (const rule of rules) this.rules.push({ rule, remaining: rule.times ?? null })
  }

  clear(): void {
    this.rules = []
  }

  /** The active rules, `times` showing the uses left. */
  list(): FaultRule[] {
    return this.rules.map(({ rule, remaining }) =>
      remaining === null ? rule : { ...rule, times: remaining },
    )
  }

  /** The total latency of every matching latency rule, each use counted. */
  latency(keyId: string | null, path: string): number {
    let total = 0
    for (const active of this.matching(['latency'], keyId, path)) {
      if (active.rule.kind === 'latency') total += active.rule.ms
      this.use(active)
    }
    return total
  }

  /** The first matching rule of the given kinds, used once. */
  take(kinds: readonly FaultKind[], keyId: string | null, path: string): FaultRule | null {
    const active = this.matching(kinds, keyId, path)[0]
    if (!active) return null
    this.use(active)
    return active.rule
  }

  private matching(kinds: readonly FaultKind[], keyId: string | null, path: string): ActiveRule[] {
    return this.rules.filter(({ rule }) => {
      if (!kinds.includes(rule.kind)) return false
      if (rule.match?.keyId !== undefined && rule.match.keyId !== keyId) return false
      return rule.match?.path === undefined || path.startsWith(rule.match.path)
    })
  }

  private use(active: ActiveRule): void {
    if (active.remaining === null) return
    active.remaining -= 1
    if (active.remaining <= 0) this.rules = this.rules.filter((rule) => rule !== active)
  }
}
