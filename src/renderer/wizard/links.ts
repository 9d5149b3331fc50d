import { ascent } from '../data/bridge'
import { API_KEYS_URL } from './model'

/** Opens Users and Access → Integrations → App Store Connect API in the browser. */
export function openApiKeysPage(): void {
  void ascent.app.openExternal({ url: API_KEYS_URL })
}
