/** The renderer's single way to main: `window.ascent`, the bridge the preload exposes. */
export const ascent = window.ascent
