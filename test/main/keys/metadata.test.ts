import * as fs from 'node:fs/promises'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { emptyDocument, loadMetadata, saveMetadata } from '../../../src/main/keys/metadata'

let folder: string
let path: string

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ascent-metadata-'))
  path = join(folder, 'keys.json')
})

afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('loading keys.json', () => {
  it('reads what was saved', async () => {
    const document = { ...emptyDocument(), activeTeamId: null }
    await saveMetadata(path, document)
    expect(await loadMetadata(path, () => 0)).toEqual({ kind: 'loaded', document })
  })

  it('treats a missing file as no keys', async () => {
    expect(await loadMetadata(path, () => 0)).toEqual({ kind: 'missing' })
  })

  it('sets a corrupt file aside instead of overwriting it', async () => {
    await writeFile(path, '{"version": 1, "teams": [')
    const result = await loadMetadata(path, () => Date.UTC(2026, 0, 2, 3, 4, 5, 6))
    expect(result).toEqual({ kind: 'corrupt', movedTo: 'keys.json.corrupt-20260102T030405006Z' })
    expect(await readFile(join(folder, 'keys.json.corrupt-20260102T030405006Z'), 'utf8')).toBe(
      '{"version": 1, "teams": [',
    )
    expect(await readdir(folder)).toEqual(['keys.json.corrupt-20260102T030405006Z'])
  })

  it('sets aside a file that parses but breaks the schema, or is from a newer version', async () => {
    for (const contents of [
      JSON.stringify({ version: 1, activeTeamId: null, teams: [{ id: 'X' }] }),
      JSON.stringify({ version: 3, activeTeamId: null, teams: [] }),
      JSON.stringify({ version: 2, activeTeamId: null, teams: [{ id: 'X' }] }),
    ]) {
      await writeFile(path, contents)
      const result = await loadMetadata(path, () => Date.now())
      expect(result.kind).toBe('corrupt')
    }
  })

  it('reports a file it cannot read, and leaves it where it is', async () => {
    await fs.mkdir(path)
    const result = await loadMetadata(path, () => 0)
    expect(result.kind).toBe('unreadable')
    expect((await stat(path)).isDirectory()).toBe(true)
  })

  it('removes temp files a crash left behind', async () => {
    await writeFile(join(folder, '.keys.json.abcdef012345.tmp'), 'half')
    await writeFile(join(folder, 'other.tmp'), 'not ours')
    await loadMetadata(path, () => 0)
    expect(await readdir(folder)).toEqual(['other.tmp'])
  })
})
