import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { SandlotError } from '../../core/sandlot-error'

export interface FolderLock {
  release(): void
}

/**
 * Claims a PGlite folder for this process: `orchestrator.lock` holds the owner's pid, created exclusively.
 * A lock left by a process that is gone (killed) is taken over.
 */
export function acquireFolderLock(folder: string): FolderLock {
  mkdirSync(folder, { recursive: true, mode: 0o700 })
  const file = join(folder, 'orchestrator.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 })
      return { release: () => releaseIfOurs(file) }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const owner = Number(readText(file)?.trim())
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new SandlotError(
          'CONFLICT',
          `The orchestrator data folder ${folder} is in use by process ${owner}.`,
          'The embedded database serves one process at a time: manage tokens through that orchestrator (sandlot orchestrator token … --url <its address> --token <an admin token>), stop it first, or run on a PostgreSQL server (--database postgres://…), which any number of processes share.'
        )
      }
      rmSync(file, { force: true })
    }
  }
  throw new SandlotError('CONFLICT', `Cannot lock the orchestrator data folder ${folder}.`, 'Try again; if it persists, remove orchestrator.lock there.')
}

function releaseIfOurs(file: string): void {
  if (readText(file)?.trim() === String(process.pid)) rmSync(file, { force: true })
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
