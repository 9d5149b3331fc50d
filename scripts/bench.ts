/**
 * `npm run bench`: runs each benchmark section against the Apple sandbox, prints one compact
 * table, and returns the figures (`runBench`) for whoever writes them down. `--json` also prints
 * them as one JSON line. Not part of the test suite: timings depend on the machine.
 */
import { pathToFileURL } from 'node:url'
import { clientSection } from './bench/client'
import { radarSection } from './bench/radar'
import { scaleSection } from './bench/scale'
import { uiSection } from './bench/ui'

export interface BenchTarget {
  /** The figure must be at most `value` (`<=`) or below it (`<`). */
  op: '<' | '<='
  value: number
}

export interface BenchFigure {
  label: string
  value: number
  unit: string
  target?: BenchTarget
}

export interface BenchSection {
  name: string
  run: () => Promise<BenchFigure[]>
}

export interface BenchFigureResult extends BenchFigure {
  /** Null when the figure has no target. */
  met: boolean | null
}

export interface BenchResult {
  section: string
  figures: BenchFigureResult[]
}

export const SECTIONS: BenchSection[] = [clientSection, uiSection, scaleSection, radarSection]

function met(figure: BenchFigure): boolean | null {
  if (!figure.target) return null
  const { op, value } = figure.target
  return op === '<' ? figure.value < value : figure.value <= value
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2)
}

function printTable(results: BenchResult[]): void {
  const rows = results.flatMap((result) =>
    result.figures.map((figure) => [
      result.section,
      figure.label,
      `${format(figure.value)} ${figure.unit}`.trim(),
      figure.target ? `${figure.target.op} ${format(figure.target.value)}` : '',
      figure.met === null ? '' : figure.met ? 'ok' : 'MISSED',
    ]),
  )
  const header = ['section', 'measure', 'value', 'target', '']
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd()
  console.log(line(header))
  console.log(line(widths.map((width) => '-'.repeat(width))))
  for (const row of rows) console.log(line(row))
  const targets = results
    .flatMap((result) => result.figures)
    .filter((figure) => figure.met !== null)
  console.log(`\ntargets met: ${targets.filter((figure) => figure.met).length}/${targets.length}`)
}

export async function runBench(sections: BenchSection[] = SECTIONS): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  for (const section of sections) {
    const figures = await section.run()
    results.push({
      section: section.name,
      figures: figures.map((figure) => ({ ...figure, met: met(figure) })),
    })
  }
  printTable(results)
  return results
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `npm run bench -- radar scale`: only the sections whose names start with the words given.
  const picked = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
  const results = await runBench(
    picked.length
      ? SECTIONS.filter((section) => picked.some((word) => section.name.startsWith(word)))
      : SECTIONS,
  )
  if (process.argv.includes('--json')) console.log(JSON.stringify(results))
}
