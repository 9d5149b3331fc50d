/**
 * Draws Ascent's app icon and writes assets/icon.svg, assets/icon.png (1024 px, what
 * electron-builder and the harness use) and assets/icon.icns (every size macOS asks for).
 * `npm run icon` after a change to the drawing; the files are committed. Renders with Chromium
 * through playwright-core (ASCENT_CHROMIUM or CHROMIUM_PATH, else Debian's /usr/bin/chromium).
 *
 * The drawing follows macOS's icon grid: a 1024 canvas, an 824 px squircle (a superellipse, as
 * Apple's shape is) with a soft shadow below it, a blue gradient that reads on light and dark
 * Docks, and a white rising line ending in an arrow, over the area it climbs from.
 */
import { writeFile } from 'node:fs/promises'
import { chromium } from 'playwright-core'

const CANVAS = 1024
const HALF = 412
const CENTER = CANVAS / 2

/** A superellipse |x|^5 + |y|^5 = 1 through 96 points, joined by Catmull-Rom curves. */
function squirclePath(): string {
  const exponent = 5
  const count = 96
  const points = Array.from({ length: count }, (_, index) => {
    const angle = (2 * Math.PI * index) / count
    const along = (value: number) => Math.sign(value) * Math.abs(value) ** (2 / exponent)
    return [CENTER + HALF * along(Math.cos(angle)), CENTER + HALF * along(Math.sin(angle))]
  })
  const at = (index: number) => points[(index + count) % count] as [number, number]
  const round = (value: number) => value.toFixed(1)
  const segments = points.map((_, index) => {
    const [p0, p1, p2, p3] = [at(index - 1), at(index), at(index + 1), at(index + 2)]
    const c1 = [p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6]
    const c2 = [p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6]
    return `C${round(c1[0]!)} ${round(c1[1]!)} ${round(c2[0]!)} ${round(c2[1]!)} ${round(p2[0])} ${round(p2[1])}`
  })
  return `M${round(at(0)[0])} ${round(at(0)[1])}${segments.join('')}Z`
}

/** The rising line, and the arrow head at its end pointing the way the last stretch goes. */
function mark(): { line: string; area: string; head: string } {
  const points: [number, number][] = [
    [282, 668],
    [440, 510],
    [556, 600],
    [704, 436],
  ]
  const tip: [number, number] = [770, 362]
  const [last] = points.slice(-1) as [[number, number]]
  const length = Math.hypot(tip[0] - last[0], tip[1] - last[1])
  const [ux, uy] = [(tip[0] - last[0]) / length, (tip[1] - last[1]) / length]
  const back = 128
  const spread = 86
  const base: [number, number] = [tip[0] - ux * back, tip[1] - uy * back]
  const wingA = [base[0] - uy * spread, base[1] + ux * spread]
  const wingB = [base[0] + uy * spread, base[1] - ux * spread]
  const line = `M${points.map(([x, y]) => `${x} ${y}`).join(' L')}`
  // The area below the line runs on past both ends to the edges (the squircle clips it).
  const [first, second] = points as [[number, number], [number, number]]
  const slope = (second[1] - first[1]) / (second[0] - first[0])
  const left = CENTER - HALF - 20
  const right = CENTER + HALF + 20
  const start = `M${left} ${(first[1] + (left - first[0]) * slope).toFixed(1)}`
  const end = `L${right} ${(tip[1] + (right - tip[0]) * (uy / ux)).toFixed(1)}`
  const area = `${start} L${line.slice(1)} L${tip[0]} ${tip[1]} ${end} L${right} ${CANVAS} L${left} ${CANVAS} Z`
  const head = `M${tip[0]} ${tip[1]} L${wingA[0]!.toFixed(1)} ${wingA[1]!.toFixed(1)} L${wingB[0]!.toFixed(1)} ${wingB[1]!.toFixed(1)} Z`
  return { line, area, head }
}

export function iconSvg(): string {
  const shape = squirclePath()
  const { line, area, head } = mark()
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CANVAS}" height="${CANVAS}" viewBox="0 0 ${CANVAS} ${CANVAS}">
  <defs>
    <linearGradient id="face" x1="0" y1="0" x2="0.35" y2="1">
      <stop offset="0" stop-color="#5C8DFF"/>
      <stop offset="0.55" stop-color="#3D5BF0"/>
      <stop offset="1" stop-color="#3124C4"/>
    </linearGradient>
    <radialGradient id="glow" cx="0.3" cy="0.12" r="0.8">
      <stop offset="0" stop-color="#FFFFFF" stop-opacity="0.28"/>
      <stop offset="1" stop-color="#FFFFFF" stop-opacity="0"/>
    </radialGradient>
    <linearGradient id="climb" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0.2" stop-color="#FFFFFF" stop-opacity="0.26"/>
      <stop offset="1" stop-color="#FFFFFF" stop-opacity="0.02"/>
    </linearGradient>
    <filter id="shadow" x="-20%" y="-20%" width="140%" height="140%">
      <feDropShadow dx="0" dy="12" stdDeviation="14" flood-color="#000000" flood-opacity="0.3"/>
    </filter>
    <filter id="lift" x="-20%" y="-20%" width="140%" height="140%">
      <feDropShadow dx="0" dy="10" stdDeviation="12" flood-color="#10104A" flood-opacity="0.35"/>
    </filter>
    <clipPath id="inside"><path d="${shape}"/></clipPath>
  </defs>
  <path d="${shape}" fill="url(#face)" filter="url(#shadow)"/>
  <g clip-path="url(#inside)">
    <rect width="${CANVAS}" height="${CANVAS}" fill="url(#glow)"/>
    <path d="${area}" fill="url(#climb)"/>
  </g>
  <g filter="url(#lift)" fill="#FFFFFF">
    <path d="${line}" fill="none" stroke="#FFFFFF" stroke-width="70" stroke-linecap="round" stroke-linejoin="round"/>
    <path d="${head}" stroke="#FFFFFF" stroke-width="24" stroke-linejoin="round"/>
  </g>
</svg>
`
}

/** icns entries: the type macOS reads for each pixel size (the @2x ones share bitmaps). */
export const ICNS_TYPES: [type: string, pixels: number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
]

/** The icns container: a header, then one (type, length, PNG) entry per size. */
function icns(pngs: Map<number, Buffer>): Buffer {
  const entries = ICNS_TYPES.map(([type, pixels]) => {
    const png = pngs.get(pixels)
    if (!png) throw new Error(`No ${pixels} px rendering`)
    const header = Buffer.alloc(8)
    header.write(type, 0, 'latin1')
    header.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([header, png])
  })
  const body = Buffer.concat(entries)
  const header = Buffer.alloc(8)
  header.write('icns', 0, 'latin1')
  header.writeUInt32BE(body.length + 8, 4)
  return Buffer.concat([header, body])
}

async function render(svg: string, sizes: number[]): Promise<Map<number, Buffer>> {
  const executablePath =
    process.env.ASCENT_CHROMIUM || process.env.CHROMIUM_PATH || '/usr/bin/chromium'
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  })
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 })
    const pngs = new Map<number, Buffer>()
    for (const size of sizes) {
      await page.setViewportSize({ width: size, height: size })
      const scaled = svg.replace(
        `width="${CANVAS}" height="${CANVAS}"`,
        `width="${size}" height="${size}"`,
      )
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">${scaled}</body></html>`,
      )
      pngs.set(size, await page.screenshot({ omitBackground: true, type: 'png' }))
    }
    return pngs
  } finally {
    await browser.close()
  }
}

async function main(): Promise<void> {
  const svg = iconSvg()
  const pngs = await render(svg, [...new Set(ICNS_TYPES.map(([, pixels]) => pixels))])
  const full = pngs.get(CANVAS)
  if (!full) throw new Error('No full-size rendering')
  await writeFile('assets/icon.svg', svg)
  await writeFile('assets/icon.png', full)
  await writeFile('assets/icon.icns', icns(pngs))
  console.log('Wrote assets/icon.svg, assets/icon.png and assets/icon.icns')
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
