import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { ProcessSpec } from './protocol'

const StoredSpec = z.object({
  version: z.literal(1),
  /** stopped: the app was stopped on request and stays stopped when the container restarts. */
  desired: z.enum(['running', 'stopped']),
  spec: ProcessSpec
})
export type StoredSpec = z.infer<typeof StoredSpec>

/**
 * The spec on the container's disk, so a restarted container (or monitor) resumes its app.
 * Written atomically and readable by the container user only: `env` may hold secrets.
 */
export class SpecStore {
  constructor(readonly path: string) {}

  /** Null when nothing was saved; throws when the file exists but cannot be used. */
  load(): StoredSpec | null {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    const parsed = StoredSpec.safeParse(JSON.parse(text))
    if (!parsed.success) throw new Error(`${this.path} is not a valid process spec: ${z.prettifyError(parsed.error)}`)
    return parsed.data
  }

  save(desired: StoredSpec['desired'], spec: ProcessSpec): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 })
    const temporary = `${this.path}.${process.pid}.tmp`
    const stored: StoredSpec = { version: 1, desired, spec }
    writeFileSync(temporary, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 })
    renameSync(temporary, this.path)
  }
}
