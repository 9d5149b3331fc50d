import { useState } from 'react'
import { hueOf } from '../teams/identity'

/** Apple's icon template at `size` points (2× pixels), PNG. */
function iconUrl(template: string, size: number): string {
  const pixels = String(size * 2)
  return template.replace('{w}', pixels).replace('{h}', pixels).replace('{f}', 'png')
}

/** The first letter of the name's last word: "Northwind Mail" → "M". */
function initialOf(name: string): string {
  const word = name.trim().split(/\s+/).at(-1) ?? ''
  return (word.match(/[\p{L}\p{N}]/u)?.[0] ?? '?').toUpperCase()
}

/**
 * The app's icon from its newest build, over a monogram that shows until the image has loaded
 * and stays when it cannot (offline, or no build has an icon yet).
 */
export function AppIcon(props: {
  name: string
  seed: string
  templateUrl: string | null
  size: number
}) {
  const [state, setState] = useState<{ url: string; loaded: boolean; failed: boolean } | null>(null)
  const url = props.templateUrl ? iconUrl(props.templateUrl, props.size) : null
  const current = state?.url === url ? state : null
  return (
    <span
      className="app-icon"
      aria-hidden="true"
      style={{ '--size': `${props.size}px`, '--hue': hueOf(props.seed) } as React.CSSProperties}
    >
      <span className="app-icon-monogram">{initialOf(props.name)}</span>
      {url && !current?.failed ? (
        <img
          src={url}
          alt=""
          width={props.size}
          height={props.size}
          draggable={false}
          className={current?.loaded ? 'app-icon-image app-icon-loaded' : 'app-icon-image'}
          onLoad={() => setState({ url, loaded: true, failed: false })}
          onError={() => setState({ url, loaded: false, failed: true })}
        />
      ) : null}
    </span>
  )
}
