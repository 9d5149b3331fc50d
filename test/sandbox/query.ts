/**
 * The sandbox's own parameter rules, behind its 400 PARAMETER_ERROR answers. They read which
 * parameters an operation declares (and their enums and maximums) from Apple's spec, and go beyond
 * what the spec states in three ways: an empty value and a `limit` below 1 are refused, and a
 * `cursor` is taken on every operation with `limit` (Apple's `links.next` carries one).
 *
 * Deliberately separate from `validateRequest` in openapi.ts, the tests' checker, which validates
 * each value against the parameter's schema with ajv: access.test.ts compares the two on valid and
 * invalid queries, so a rule here that drifts from Apple's spec fails a test.
 */
import type { SpecOperation, SpecParameter } from './openapi'

export interface QueryProblem {
  code: 'PARAMETER_ERROR.ILLEGAL' | 'PARAMETER_ERROR.INVALID'
  parameter: string
  detail: string
}

function queryParameters(operation: SpecOperation): Map<string, SpecParameter> {
  const declared = new Map<string, SpecParameter>()
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in === 'query') declared.set(parameter.name, parameter)
  }
  return declared
}

/** Checks a query against an operation's declared parameters; an empty list means acceptable. */
export function checkQuery(operation: SpecOperation, query: URLSearchParams): QueryProblem[] {
  const declared = queryParameters(operation)
  const problems: QueryProblem[] = []
  const seen = new Set<string>()
  for (const [name, value] of query) {
    const invalid = (detail: string) =>
      problems.push({ code: 'PARAMETER_ERROR.INVALID', parameter: name, detail })
    if (seen.has(name)) {
      invalid(`The parameter '${name}' can only be given once.`)
      continue
    }
    seen.add(name)
    if (name === 'cursor' && declared.has('limit')) {
      if (value === '') invalid(`'' is not a valid cursor for this request`)
      continue
    }
    const parameter = declared.get(name)
    if (!parameter?.schema) {
      problems.push({
        code: 'PARAMETER_ERROR.ILLEGAL',
        parameter: name,
        detail: `The parameter '${name}' can not be used with this request`,
      })
      continue
    }
    const schema = parameter.schema
    if (schema.type === 'array') {
      const allowed = schema.items?.enum
      for (const item of value.split(',')) {
        if (item === '') invalid(`The parameter '${name}' has an empty value.`)
        else if (allowed && !allowed.includes(item)) {
          invalid(`'${item}' is not a valid value for '${name}'. Allowed: ${allowed.join(', ')}`)
        }
      }
    } else if (schema.type === 'integer') {
      const number = /^\d+$/.test(value) ? Number(value) : NaN
      if (!Number.isSafeInteger(number) || number < 1) {
        invalid(`'${value}' is not a valid value for '${name}': expected a positive integer.`)
      } else if (schema.maximum !== undefined && number > schema.maximum) {
        invalid(`'${value}' is not a valid value for '${name}'. The maximum is ${schema.maximum}.`)
      }
    } else if (schema.type === 'boolean') {
      if (value !== 'true' && value !== 'false') {
        invalid(`'${value}' is not a valid value for '${name}': expected true or false.`)
      }
    } else if (value === '') {
      invalid(`The parameter '${name}' has an empty value.`)
    }
  }
  return problems
}
