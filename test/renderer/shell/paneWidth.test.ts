import { describe, expect, it } from 'vitest'
import { clampWidth, widthForKey, type PaneBounds } from '../../../src/renderer/shell/paneWidth'

const bounds: PaneBounds = { key: 'test', initial: 300, min: 240, max: 440 }

describe('a pane’s width', () => {
  it('stays within its bounds, and starts over from a value that is not a width', () => {
    expect(clampWidth(100, bounds)).toBe(240)
    expect(clampWidth(900, bounds)).toBe(440)
    expect(clampWidth(333.6, bounds)).toBe(334)
    expect(clampWidth(Number('wide'), bounds)).toBe(300)
  })

  it('moves with the arrow keys, further with Shift, to the ends with Home and End', () => {
    expect(widthForKey('ArrowRight', false, 300, bounds)).toBe(310)
    expect(widthForKey('ArrowLeft', true, 300, bounds)).toBe(250)
    expect(widthForKey('ArrowLeft', true, 260, bounds)).toBe(240)
    expect(widthForKey('Home', false, 300, bounds)).toBe(240)
    expect(widthForKey('End', false, 300, bounds)).toBe(440)
    expect(widthForKey('a', false, 300, bounds)).toBeNull()
  })
})
