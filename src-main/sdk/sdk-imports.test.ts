import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const FORBIDDEN = ['electron', 'dockerode', 'better-sqlite3', 'node-pty', 'drizzle-orm', 'ws']

/** Every module the SDK loads, following relative imports from its entry (type-only imports load nothing). */
function loadedModules(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string): void => {
    if (files.has(file)) return
    files.add(file)
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/^(?:import|export) (?!type )[^'"]*?from '([^']+)'/gm)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), `${specifier}.ts`))
      else packages.add(specifier!)
    }
  }
  visit(entry)
  return { files: [...files], packages: [...packages] }
}

describe('sandlot/sdk', () => {
  it('loads no Electron, Docker, SQLite or terminal code', () => {
    const { files, packages } = loadedModules(resolve(import.meta.dirname, 'index.ts'))
    expect(files.length).toBeGreaterThan(3)
    expect(packages.filter((p) => FORBIDDEN.includes(p.split('/')[0]!))).toEqual([])
    expect(files.filter((f) => /core\/(engine|store|workspaces|terminals)\//.test(f))).toEqual([])
  })
})
