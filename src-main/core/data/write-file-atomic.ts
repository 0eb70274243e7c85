import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs'

/**
 * Writes `text` to a temporary file beside `file` and renames it over, so a reader (or a crash mid-write) never
 * sees half a file. The temporary name carries the pid: two processes writing the same file never share one.
 * `mode` also applies when the file existed with other bits (writeFileSync's mode only applies on creation).
 */
export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
  const temporary = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(temporary, text, { mode })
    chmodSync(temporary, mode)
    renameSync(temporary, file)
  } catch (err) {
    rmSync(temporary, { force: true })
    throw err
  }
}
