import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** A fresh temporary folder holding `files` (path → content; objects are written as JSON). */
export function folderWith(files: Record<string, string | object> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-template-'))
  writeFiles(dir, files)
  return dir
}

export function writeFiles(dir: string, files: Record<string, string | object>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  }
}

/** A valid template.json, with `overrides` applied (undefined removes a key). */
export function manifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = { id: 'demo', name: 'Demo', start: 'node server.js', port: 3000 }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete base[key]
    else base[key] = value
  }
  return base
}
