import { openExternal } from '../data/app'
import { API_KEYS_URL } from './model'

/** Opens Users and Access → Integrations → App Store Connect API in the browser. */
export function openApiKeysPage(): void {
  openExternal(API_KEYS_URL)
}
