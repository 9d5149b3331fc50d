import type { ContextMenus } from '../context-menus'
import type { HandlersOf } from '../ipc'

/** Context menus the page asks for by what they are about; main shows them and acts. */
export function menuHandlers(menus: ContextMenus): HandlersOf<'menu'> {
  return {
    'menu:app': (request) => menus.app(request),
    'menu:build': (request) => menus.build(request),
    'menu:team': (request) => menus.team(request),
  }
}
