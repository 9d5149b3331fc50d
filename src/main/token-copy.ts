import type { TokenCopyAnswer, TokenPreset } from '../shared/contract/key-life'
import { TOKEN_PRESETS } from '../shared/token-presets'
import { AppError } from './errors'
import { pasteCommand } from './export/formats'
import type { Keys } from './keys'
import type { SecretClipboard } from './secret-clipboard'
import type { TokenSigner } from './tokens'

/**
 * Copy Token for curl: a read-only token scoped to the requests the user picked, placed on the
 * clipboard by main and cleared when it expires (if still there). The answer carries a curl line
 * that reads the token from the clipboard, so the page never sees the token.
 */

export interface TokenCopyOptions {
  keys: Pick<Keys, 'identityOf'>
  tokens: Pick<TokenSigner, 'mint'>
  clipboard: SecretClipboard
  apiBase: string
}

export function createTokenCopy(options: TokenCopyOptions) {
  return {
    async copy(request: {
      teamId: string
      presets: TokenPreset[]
      lifetimeSeconds: number
    }): Promise<TokenCopyAnswer> {
      const presets = [...new Set(request.presets)]
      const first = presets[0]
      if (!first) {
        throw new AppError('tokens.scope_invalid', 'Choose at least one kind of request.')
      }
      const scope = presets.flatMap((preset) => TOKEN_PRESETS[preset].scope)
      const identity = await options.keys.identityOf(request.teamId)
      const token = await options.tokens.mint(identity, {
        scope,
        lifetimeSeconds: request.lifetimeSeconds,
      })
      const until = await options.clipboard.place(token, request.lifetimeSeconds * 1000)
      const url = `${options.apiBase}${TOKEN_PRESETS[first].example}`
      return {
        teamId: request.teamId,
        scope,
        expiresAt: new Date(until).toISOString(),
        clearsAt: new Date(until).toISOString(),
        curl: `curl -H "Authorization: Bearer $(${pasteCommand()})" '${url}'`,
      }
    },
  }
}

export type TokenCopy = ReturnType<typeof createTokenCopy>
