import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSync, type BuildOptions } from 'esbuild'
import { describe, expect, it } from 'vitest'

// Electronegativity (Doyensec's static scan of Electron apps) over the main process and the preload.
// Its parser predates class private fields, so the code is bundled and lowered to ES2019 first; its check of
// Electron releases needs the network and is left out (Electron upgrades are tracked apart).
const root = join(__dirname, '..', '..')
const allow = JSON.parse(readFileSync(join(root, 'security', 'electronegativity-allow.json'), 'utf8')) as {
  allowed: Array<{ check: string; sample: string; reason: string }>
}

interface Finding {
  check: string
  severity: string
  file: string
  location: string
  sample: string
}

/** The scanner's CSV: a header, then one row per finding; a quoted cell may hold commas and line breaks. */
function parseCsv(text: string): Finding[] {
  const rows: string[][] = [[]]
  for (const m of text.trim().matchAll(/("(?:[^"]|"")*"|[^,\n]*)(,|\n|$)/g)) {
    if (m[0] === '') break
    rows.at(-1)!.push(m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'))
    if (m[2] === '\n') rows.push([])
  }
  return rows.slice(1).map((cells) => ({ check: cells[0]!, severity: cells[1]!, file: cells[3]!, location: cells[4]!, sample: cells[5]! }))
}

describe('Electronegativity scan', () => {
  it('finds nothing above informational that is not reviewed in security/electronegativity-allow.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandlot-electronegativity-'))
    try {
      const common: BuildOptions = { bundle: true, platform: 'node', target: 'es2019', external: ['electron'], packages: 'external', logLevel: 'silent', write: true }
      buildSync({ ...common, entryPoints: [join(root, 'src-main', 'index.ts')], format: 'esm', outfile: join(dir, 'app', 'main.js') })
      buildSync({ ...common, entryPoints: [join(root, 'src-preload', 'index.ts')], format: 'cjs', outfile: join(dir, 'app', 'preload.js') })
      copyFileSync(join(root, 'package.json'), join(dir, 'app', 'package.json'))
      const csv = join(dir, 'findings.csv')
      // Its runner, not its CLI: the CLI requires a `commander` it does not declare, and gets this project's newer one.
      const options = { input: join(dir, 'app'), output: csv, isSarif: false, customScan: [], excludeFromScan: ['availablesecurityfixesglobalcheck'], isRelative: true, isVerbose: false, parserPlugins: [] }
      const script = `require('@doyensec/electronegativity')(${JSON.stringify(options)}, false).catch((e) => { console.error(e.stack); process.exit(1) })`
      const scan = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000 })
      expect(scan.status, `${scan.stdout}\n${scan.stderr}`).toBe(0)
      expect(scan.stdout).not.toMatch(/Error parsing/)
      const findings = parseCsv(readFileSync(csv, 'utf8'))
      // The scan ran: it read the package.json (its one informational finding), so an empty list means clean.
      expect(findings.map((f) => f.check)).toContain('ELECTRON_VERSION_JSON_CHECK')
      const unreviewed = findings.filter(
        (f) => f.severity !== 'INFORMATIONAL' && !allow.allowed.some((a) => a.check === f.check && (a.sample === '' || f.sample.includes(a.sample)))
      )
      expect(unreviewed).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('keeps a reason for every allowed finding', () => {
    for (const entry of allow.allowed) expect(entry.reason.length, entry.check).toBeGreaterThan(40)
  })
})
