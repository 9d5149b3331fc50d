/** The app icon scripts/icon.ts drew: an icns with every size macOS asks for, and a 1024 px PNG. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ICNS_TYPES, iconSvg } from '../../scripts/icon'

/** Width and height from a PNG's IHDR chunk, and whether it has an alpha channel. */
function pngInfo(png: Buffer): { width: number; height: number; alpha: boolean } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR')
  const colorType = png[25]
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    alpha: colorType === 6 || colorType === 4,
  }
}

function icnsEntries(icns: Buffer): Map<string, Buffer> {
  expect(icns.subarray(0, 4).toString('latin1')).toBe('icns')
  expect(icns.readUInt32BE(4)).toBe(icns.length)
  const entries = new Map<string, Buffer>()
  let offset = 8
  while (offset < icns.length) {
    const type = icns.subarray(offset, offset + 4).toString('latin1')
    const length = icns.readUInt32BE(offset + 4)
    expect(length).toBeGreaterThan(8)
    entries.set(type, icns.subarray(offset + 8, offset + length))
    offset += length
  }
  expect(offset).toBe(icns.length)
  return entries
}

describe('the app icon', () => {
  it('is an icns with a PNG of the right size for every type macOS reads', () => {
    const entries = icnsEntries(readFileSync('assets/icon.icns'))
    expect([...entries.keys()].sort()).toEqual(ICNS_TYPES.map(([type]) => type).sort())
    for (const [type, pixels] of ICNS_TYPES) {
      const info = pngInfo(entries.get(type)!)
      expect(info, type).toEqual({ width: pixels, height: pixels, alpha: true })
    }
    for (const pixels of [16, 32, 64, 128, 256, 512, 1024]) {
      expect(
        ICNS_TYPES.some(([, size]) => size === pixels),
        `${pixels} px`,
      ).toBe(true)
    }
  })

  it('has a 1024 px PNG with an alpha channel, the same bitmap as the icns’s largest', () => {
    expect(pngInfo(readFileSync('assets/icon.png'))).toEqual({
      width: 1024,
      height: 1024,
      alpha: true,
    })
    // The same bitmap as the icns's largest entry: one drawing, two files.
    const largest = icnsEntries(readFileSync('assets/icon.icns')).get('ic10')
    expect(largest?.equals(readFileSync('assets/icon.png'))).toBe(true)
  })

  it('is what the drawing code draws: run `npm run icon` after changing it', () => {
    expect(readFileSync('assets/icon.svg', 'utf8')).toBe(iconSvg())
  })
})
