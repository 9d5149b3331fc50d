/**
 * Imported first by the preload. Zod compiles object schemas with `new Function` unless told
 * not to, and probes for it first; the page's Content-Security-Policy allows no eval, so the
 * probe alone is a violation report. Without JIT, zod parses the same, only without generated
 * code.
 */
import { z } from 'zod'

z.config({ jitless: true })
