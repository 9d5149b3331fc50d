/**
 * "Choose File…" in the demo: the system's own open dialog where the demo can show one (the
 * Finder's through osascript on a Mac, zenity or kdialog on a Linux desktop), opened in the key
 * folder. Anywhere else the harness lists the key files in the window instead.
 */
import { spawn, spawnSync } from 'node:child_process'
import type { NativePickerAnswer } from '../../test/harness/desktop'

export interface NativePicker {
  /** The tool's name, for the demo's "try this" text. */
  name: string
  pick: () => Promise<NativePickerAnswer>
}

export interface PickerHost {
  platform: NodeJS.Platform
  hasDisplay: boolean
  has(command: string): boolean
}

export function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0
}

/** How each tool is asked, and which exit means Cancel (anything else is a failure). */
interface PickerTool {
  name: string
  command: string
  args: (folder: string) => string[]
  canceled: (code: number | null, stderr: string) => boolean
}

const osascript: PickerTool = {
  name: 'the Finder’s open dialog',
  command: 'osascript',
  args: (folder) => [
    '-e',
    `POSIX path of (choose file with prompt "Choose an API key (.p8 or .json)" default location (POSIX file ${JSON.stringify(folder)}))`,
  ],
  // AppleScript's "User canceled." is error -128.
  canceled: (code, stderr) => code === 1 && stderr.includes('-128'),
}

const zenity: PickerTool = {
  name: 'zenity',
  command: 'zenity',
  args: (folder) => [
    '--file-selection',
    '--title=Choose an API key',
    `--filename=${folder}/`,
    '--file-filter=API keys (.p8, .json) | *.p8 *.json',
    '--file-filter=All files | *',
  ],
  canceled: (code) => code === 1,
}

const kdialog: PickerTool = {
  name: 'kdialog',
  command: 'kdialog',
  args: (folder) => [
    '--title',
    'Choose an API key',
    '--getopenfilename',
    folder,
    '*.p8 *.json|API keys (.p8, .json)',
  ],
  canceled: (code) => code === 1,
}

/** The system picker the demo can show here, or null: then the window lists the key files. */
export function nativePickerFor(host: PickerHost, folder: string): NativePicker | null {
  if (!host.hasDisplay) return null
  const tools = host.platform === 'darwin' ? [osascript] : [zenity, kdialog]
  const tool = tools.find((candidate) => host.has(candidate.command))
  return tool ? { name: tool.name, pick: () => runPicker(tool, folder) } : null
}

function runPicker(tool: PickerTool, folder: string): Promise<NativePickerAnswer> {
  return new Promise((resolve) => {
    const child = spawn(tool.command, tool.args(folder), { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', (error) =>
      resolve({ unavailable: `${tool.name} did not start (${error.message}).` }),
    )
    child.on('close', (code) => {
      const path = stdout.trim()
      if (code === 0 && path) resolve({ path })
      else if (tool.canceled(code, stderr)) resolve({ path: null })
      else {
        const said = stderr.trim().split('\n').at(-1) ?? ''
        resolve({ unavailable: `${tool.name} failed (exit ${code}${said ? `: ${said}` : ''}).` })
      }
    })
  })
}
