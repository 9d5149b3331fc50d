/**
 * The renderer's single way to main: `window.ascent`, the bridge the preload exposes. Only the
 * modules of this folder import it (a lint rule holds the line); screens use their hooks.
 */
export const ascent = window.ascent
