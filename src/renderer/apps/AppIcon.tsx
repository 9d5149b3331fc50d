import { useState } from 'react'

/** Apple's icon template at `size` points (2× pixels), PNG. */
export function iconUrl(template: string, size: number): string {
  const pixels = String(size * 2)
  return template.replace('{w}', pixels).replace('{h}', pixels).replace('{f}', 'png')
}

/** A stable hue from the bundle ID, so an app keeps its monogram colour. */
function hueOf(seed: string): number {
  let hash = 0
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return hash % 360
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
