import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SettingsView } from '../contract'
import { watchSettings } from './settings-watch'

describe('watchSettings', () => {
  it('reports a hand edit, a broken file with its line, and nothing while the file says the same', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sandlot-watch-')), 'settings.json')
    const seen: SettingsView[] = []
    const next = (): Promise<SettingsView> =>
      new Promise((resolve) => {
        const count = seen.length
        const timer = setInterval(() => {
          if (seen.length > count) clearInterval(timer), resolve(seen.at(-1)!)
        }, 20)
      })
    const stop = watchSettings(file, (view) => seen.push(view), 50)
    // The poller's first look is asynchronous: a change before it would be its starting point.
    await new Promise((resolve) => setTimeout(resolve, 300))
    try {
      writeFileSync(file, JSON.stringify({ pool: { size: 3 } }))
      expect((await next()).settings.pool.size).toBe(3)
      writeFileSync(file, '{\n  "pool": { "size": 3 },\n  oops\n}\n')
      const broken = await next()
      expect(broken.problems).toEqual([expect.objectContaining({ line: 3, message: expect.stringMatching(/not readable as JSON/) })])
      const count = seen.length
      writeFileSync(file, '{\n  "pool": { "size": 3 },\n  oops\n}\n')
      writeFileSync(file, JSON.stringify({ pool: { size: 2 } }))
      expect((await next()).settings.pool.size).toBe(2)
      expect(seen.length).toBe(count + 1)
    } finally {
      stop()
    }
  })
})
