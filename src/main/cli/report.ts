import type { CheckStep, CheckStepState } from '../../shared/contract/keys'
import type { Diagnosis, DiagnosisFacts } from '../../shared/diagnosis'
import { describeRole } from '../../shared/diagnosis'
import type { KeyType, Role } from '../../shared/keys'
import { describeDuration } from '../diagnosis'

/** `ascent doctor`'s answer: the diagnosis, the steps and the warnings, as text or one JSON object. */
export interface DoctorReport {
  diagnosis: Diagnosis
  warnings: Diagnosis[]
  steps: CheckStep[]
  key: {
    type: KeyType
    keyId: string
    issuerId: string | null
    role: Role | null
    /** False when `role` is only what --role said: Apple can confirm Admin alone. */
    roleVerified: boolean
  }
  apiBase: string
}

/** The report as the one JSON object `--json` prints. */
export function reportObject(report: DoctorReport): Record<string, unknown> {
  return {
    ...report.diagnosis,
    steps: report.steps,
    warnings: report.warnings,
    key: report.key,
    apiBase: report.apiBase,
  }
}

export function reportJson(report: DoctorReport): string {
  return `${JSON.stringify(reportObject(report))}\n`
}

const MARKS: Record<CheckStepState, string> = {
  passed: '✓',
  failed: '✗',
  skipped: '–',
  pending: '·',
  running: '…',
}

/** The facts, each said once: a request the diagnosis already names is not repeated. */
function factsLine(facts: DiagnosisFacts, said: string): string | null {
  const parts: string[] = []
  if (facts.request) {
    const answer = [facts.httpStatus, facts.appleErrorCode].filter((part) => part !== undefined)
    const named = said.includes(facts.request)
    if (answer.length > 0) {
      parts.push(named ? `answered ${answer.join(' ')}` : `${facts.request} → ${answer.join(' ')}`)
    } else if (!named) {
      parts.push(facts.request)
    }
  }
  if (facts.retryAfterSeconds !== undefined) parts.push(`retry after ${facts.retryAfterSeconds} s`)
  const offset = facts.clockOffsetSeconds
  // A second or two is the Date header's rounding and the trip there and back.
  if (offset !== undefined && Math.abs(offset) > 2) {
    parts.push(
      `this computer’s clock ${describeDuration(offset)} ${offset < 0 ? 'ahead' : 'behind'}`,
    )
  }
  if (facts.rateLimit) {
    parts.push(`${facts.rateLimit.remaining} of ${facts.rateLimit.limit} requests left this hour`)
  }
  return parts.length > 0 ? parts.join(' · ') : null
}

function block(diagnosis: Diagnosis, mark: string): string[] {
  const lines = [`${mark} ${diagnosis.title} [${diagnosis.code}]`, `  ${diagnosis.detail}`]
  diagnosis.hints.forEach((hint, index) => lines.push(`  ${index + 1}. ${hint}`))
  const facts = factsLine(diagnosis.facts, `${diagnosis.title}\n${diagnosis.detail}`)
  if (facts) lines.push(`  ${facts}`)
  return lines
}

export function reportText(report: DoctorReport): string {
  const { key } = report
  const who =
    key.type === 'team'
      ? `team key ${key.keyId || '(no key ID)'}, issuer ${key.issuerId || '(none)'}`
      : `individual key ${key.keyId || '(no key ID)'}`
  const width = Math.max(...report.steps.map((step) => step.label.length))
  const lines = [`Checking ${who} with ${report.apiBase}`, '']
  for (const step of report.steps) {
    const label = step.detail ? `${step.label.padEnd(width)}  ${step.detail}` : step.label
    lines.push(`  ${MARKS[step.state]} ${label}`)
  }
  lines.push('', ...block(report.diagnosis, report.diagnosis.ok ? '✓' : '✗'))
  if (key.role && report.diagnosis.ok) {
    lines.push(`  Role: ${describeRole(key.role, key.roleVerified)}`)
  }
  for (const warning of report.warnings) lines.push('', ...block(warning, '!'))
  return `${lines.join('\n')}\n`
}
