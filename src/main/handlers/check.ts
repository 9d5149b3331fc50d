import type { KeyChecks } from '../diagnosis'
import type { HandlersOf } from '../ipc'

type KeyCheckChannel = 'keys:check' | 'keys:cancelCheck' | 'keys:save'

/** The live check of an imported key, and the save that only takes what a passed check verified. */
export function keyCheckHandlers(checks: KeyChecks): Pick<HandlersOf<'keys'>, KeyCheckChannel> {
  return {
    'keys:check': (request) => checks.check(request),
    'keys:cancelCheck': ({ checkId }) => {
      checks.cancel(checkId)
      return null
    },
    'keys:save': (request) => checks.save(request),
  }
}

/** Checks a saved team's key with Apple again and records the verdict. */
export function teamCheckHandlers(checks: KeyChecks): Pick<HandlersOf<'teams'>, 'teams:recheck'> {
  return {
    'teams:recheck': ({ teamId }) => checks.recheck(teamId),
  }
}
