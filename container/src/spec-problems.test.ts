import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProcessSpec } from './protocol'
import { specProblem } from './spec-problems'

describe('specProblem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sandlot-spec-'))
  const here = { reservedPort: 8080, defaultCwd: dir }

  it('lets a spec run in an existing folder on a free port', () => {
    expect(specProblem(ProcessSpec.parse({ command: 'true', port: 3000 }), here)).toBeNull()
  })

  it('refuses the preview port, saying what to do', () => {
    expect(specProblem(ProcessSpec.parse({ command: 'true', port: 8080 }), here)).toMatch(/port 8080 is the preview port.*listen on another port/)
  })

  it('names a cwd that is missing or not a folder, also when the default is', () => {
    expect(specProblem(ProcessSpec.parse({ command: 'true', cwd: join(dir, 'gone') }), here)).toBe(`cwd ${join(dir, 'gone')} is not a directory in the container`)
    rmSync(dir, { recursive: true })
    expect(specProblem(ProcessSpec.parse({ command: 'true' }), here)).toBe(`cwd ${dir} is not a directory in the container`)
  })
})
