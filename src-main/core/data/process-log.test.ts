import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { processLog } from './process-log'

describe('processLog', () => {
  it('appends timestamped lines to logs/<name>.log, private to the user', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandlot-log-'))
    const log = processLog(dir, 'serve', () => new Date('2026-01-02T03:04:05.000Z'))
    log.write('first')
    log.write('second\nwith a second line')
    expect(log.file).toBe(join(dir, 'serve.log'))
    expect(readFileSync(log.file, 'utf8')).toBe('2026-01-02T03:04:05.000Z first\n2026-01-02T03:04:05.000Z second\n2026-01-02T03:04:05.000Z with a second line\n')
    expect(statSync(log.file).mode & 0o077).toBe(0)
  })

  it('never throws when the folder cannot be written', () => {
    expect(() => processLog(join(tmpdir(), 'sandlot-no-such-dir', 'deeper'), 'serve').write('lost')).not.toThrow()
  })
})
