import type { KeyChecks } from '../diagnosis'
import type { KeyExport } from '../export'
import type { HandlersOf } from '../ipc'
import type { Keys } from '../keys'
import type { TokenCopy } from '../token-copy'

type TeamLifeChannel = 'teams:details' | 'teams:exportOptions' | 'teams:export' | 'teams:copyToken'

/** A saved key's details and history, its export for CI, and tokens for curl. */
export function teamLifeHandlers(
  keys: Keys,
  exporter: KeyExport,
  tokenCopy: TokenCopy,
): Pick<HandlersOf<'teams'>, TeamLifeChannel> {
  return {
    'teams:details': ({ teamId }) => keys.details(teamId),
    'teams:exportOptions': ({ teamId }) => exporter.options(teamId),
    'teams:export': (request) => exporter.export(request),
    'teams:copyToken': (request) => tokenCopy.copy(request),
  }
}

/** Replace Key: the team moves to the key a passed check verified. */
export function rotationHandlers(checks: KeyChecks): Pick<HandlersOf<'keys'>, 'keys:rotate'> {
  return {
    'keys:rotate': (request) => checks.rotate(request),
  }
}
