/** The lint rules that hold the process boundary fire where they should, and only there. */
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'

// Type-aware parsing reads the file from disk, not the text given here, when typescript-eslint
// runs once per process (it does so whenever CI=true). These rules need no types, so lint without.
const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked })

const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax'])

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  const fatal = result?.messages.find((message) => message.fatal)
  if (fatal) throw new Error(`ESLint could not lint ${filePath}: ${fatal.message}`)
  return (result?.messages ?? [])
    .filter((message) => BOUNDARY_RULES.has(message.ruleId ?? ''))
    .map((message) => message.message)
}

/** Ways to reach ipcRenderer without naming it in an import. */
const indirectIpcRenderer = [
  "import electron from 'electron'\nvoid electron.ipcRenderer\n",
  "import * as electron from 'electron'\nvoid electron.ipcRenderer\n",
  "import { default as electron } from 'electron'\nvoid electron.ipcRenderer\n",
  "import { ipcRenderer } from 'electron/renderer'\nvoid ipcRenderer\n",
  "export { ipcRenderer } from 'electron'\n",
  "export * from 'electron'\n",
  "void import('electron').then((electron) => electron.ipcRenderer)\n",
]

describe('process boundary lint rules', () => {
  it('keep electron and Node out of the renderer', async () => {
    const file = 'src/renderer/App.tsx'
    expect(
      await restrictedImports(file, "import { ipcRenderer } from 'electron'\nvoid ipcRenderer\n"),
    ).toHaveLength(1)
    expect(
      await restrictedImports(file, "import { readFile } from 'node:fs'\nvoid readFile\n"),
    ).toHaveLength(1)
    expect(
      await restrictedImports(
        file,
        "import { createAscent } from '../main/ascent'\nvoid createAscent\n",
      ),
    ).toHaveLength(1)
  })

  it('keep the talk with main in src/renderer/data', async () => {
    const bridge = "import { ascent } from '../data/bridge'\nvoid ascent\n"
    expect(await restrictedImports('src/renderer/teams/TeamBrowser.tsx', bridge)).toHaveLength(1)
    expect(
      await restrictedImports('src/renderer/apps/AppsPane.tsx', 'void window.ascent.teams\n'),
    ).toHaveLength(1)
    expect(
      await restrictedImports(
        'src/renderer/data/teams.ts',
        "import { ascent } from './bridge'\nvoid ascent\n",
      ),
    ).toEqual([])
    expect(
      await restrictedImports(
        'src/renderer/data/bridge.ts',
        'export const ascent = window.ascent\n',
      ),
    ).toEqual([])
  })

  it('keep zod out of the preload', async () => {
    const file = 'src/preload/bridge.ts'
    expect(await restrictedImports(file, "import { z } from 'zod'\nvoid z\n")).toHaveLength(1)
    expect(
      await restrictedImports(
        file,
        "import { channels } from '../shared/contract'\nvoid channels\n",
      ),
    ).toHaveLength(1)
    expect(
      await restrictedImports(
        file,
        "import type { Channel } from '../shared/contract'\nimport { CHANNELS } from '../shared/contract/channels'\nexport type C = Channel\nvoid CHANNELS\n",
      ),
    ).toEqual([])
  })

  it('keep electron and Node out of src/shared', async () => {
    const file = 'src/shared/result.ts'
    expect(
      await restrictedImports(file, "import { join } from 'node:path'\nvoid join\n"),
    ).toHaveLength(1)
    expect(
      await restrictedImports(file, "import { app } from 'electron'\nvoid app\n"),
    ).toHaveLength(1)
  })

  it('keep electron out of main modules other than the entry and the window', async () => {
    expect(
      await restrictedImports('src/main/ipc.ts', "import { app } from 'electron'\nvoid app\n"),
    ).toHaveLength(1)
    expect(
      await restrictedImports('src/main/index.ts', "import { app } from 'electron'\nvoid app\n"),
    ).toEqual([])
  })

  it('keep ipcRenderer in the preload alone', async () => {
    const code = "import { ipcRenderer } from 'electron'\nvoid ipcRenderer\n"
    expect(await restrictedImports('src/main/index.ts', code)).toHaveLength(1)
    expect(await restrictedImports('src/main/window.ts', code)).toHaveLength(1)
    expect(await restrictedImports('src/preload/index.ts', code)).toEqual([])
  })

  it('catch default, namespace, re-exported and dynamic imports that carry ipcRenderer', async () => {
    for (const file of ['src/main/index.ts', 'src/main/window.ts', 'test/e2e/fixtures.ts']) {
      for (const code of indirectIpcRenderer) {
        expect(await restrictedImports(file, code), `${file}: ${code}`).not.toEqual([])
      }
    }
    // The preload may have ipcRenderer, but only as a named import: its own rules refuse the rest.
    for (const code of indirectIpcRenderer) {
      const messages = await restrictedImports('src/preload/index.ts', code)
      expect(messages, code).not.toEqual([])
      expect(messages.join(' '), code).not.toMatch(/belongs to src\/preload alone/)
    }
    expect(
      await restrictedImports(
        'src/main/index.ts',
        "import { app, BrowserWindow } from 'electron'\nvoid app\nvoid BrowserWindow\n",
      ),
    ).toEqual([])
  })

  it('cover the command line, the scripts and the root config files too', async () => {
    const named = "import { ipcRenderer } from 'electron'\nvoid ipcRenderer\n"
    const required = "const { ipcRenderer } = require('electron')\nvoid ipcRenderer\n"
    for (const file of [
      'bin/ascent.js',
      'scripts/demo.ts',
      'eslint.config.js',
      'playwright.config.ts',
      'electron.vite.config.ts',
      'test/run-with-keyring.js',
    ]) {
      expect(await restrictedImports(file, named), file).toHaveLength(1)
      expect(await restrictedImports(file, required), file).toHaveLength(1)
      expect(
        await restrictedImports(file, "import electron from 'electron'\nvoid electron\n"),
        file,
      ).toHaveLength(1)
    }
  })

  it('let the renderer import only its allow-listed packages, and no Node built-in at all', async () => {
    const file = 'src/renderer/teams/TeamSidebar.tsx'
    for (const source of [
      'react',
      'react-dom/client',
      '@tanstack/react-virtual',
      'lucide-react',
      './identity',
      '../../shared/contract',
    ]) {
      expect(await restrictedImports(file, importOf(source)), source).toEqual([])
    }
    for (const source of [
      '@napi-rs/keyring',
      'jose',
      'zod',
      'left-pad',
      'events',
      'node:events',
      'util',
      'buffer',
      'fs/promises',
      'electron/renderer',
    ]) {
      expect(await restrictedImports(file, importOf(source)), source).toHaveLength(1)
    }
    const [message] = await restrictedImports(file, importOf('@napi-rs/keyring'))
    expect(message).toMatch(
      /only these packages: react, react-dom, @tanstack\/react-query, @tanstack\/react-virtual, lucide-react/,
    )
  })

  it('let src/shared import zod alone', async () => {
    const file = 'src/shared/contract/app.ts'
    expect(await restrictedImports(file, importOf('zod'))).toEqual([])
    for (const source of ['react', 'jose', 'events', 'node:events']) {
      expect(await restrictedImports(file, importOf(source)), source).toHaveLength(1)
    }
  })

  it('give the preload its own wall: the sandbox’s modules only, one file', async () => {
    const file = 'src/preload/index.ts'
    for (const code of [
      "import { contextBridge, ipcRenderer, webUtils } from 'electron'\nvoid contextBridge\nvoid ipcRenderer\nvoid webUtils\n",
      importOf('events'),
      importOf('node:timers'),
      importOf('url'),
      importOf('./bridge'),
      importOf('../shared/contract/channels'),
    ]) {
      expect(await restrictedImports(file, code), code).toEqual([])
    }
    for (const code of [
      "import { app } from 'electron'\nvoid app\n",
      "import { shell } from 'electron'\nvoid shell\n",
      importOf('electron/main'),
      importOf('node:fs'),
      importOf('fs'),
      importOf('child_process'),
      importOf('node:path'),
      importOf('react'),
      importOf('zod'),
      importOf('../shared/contract'),
      importOf('@napi-rs/keyring'),
      importOf('../main/ipc'),
      importOf('../renderer/App'),
      "const bridge = require('./bridge')\nvoid bridge\n",
      "void import('./bridge')\n",
      "export { buildBridge } from './bridge'\n",
    ]) {
      expect(await restrictedImports(file, code), code).toHaveLength(1)
    }
  })
})

/** A named import of `source`, used, so only the boundary rules have anything to say. */
function importOf(source: string): string {
  return `import * as imported from '${source}'\nvoid imported\n`
}
