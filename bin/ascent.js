#!/usr/bin/env node
// `npx ascent doctor|token`: loads the built command line (out/main/cli.js, made by `npm run build`).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = new URL('../out/main/cli.js', import.meta.url)

if (!existsSync(fileURLToPath(cli))) {
  console.error('ascent: the command line is not built yet. Run `npm run build` first.')
  process.exitCode = 1
} else {
  const { main, standardIo } = await import(cli.href)
  process.exitCode = await main(process.argv.slice(2), process.env, standardIo)
}
