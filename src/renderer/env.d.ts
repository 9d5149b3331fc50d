import type { AscentApi } from '../shared/contract'

declare global {
  interface Window {
    /** The preload's bridge: the renderer's only way to main. */
    readonly ascent: AscentApi
  }
}
