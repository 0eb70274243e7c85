import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from './write-file-atomic'

/** Where a running `sandlot serve` says where it listens, in the data folder, so scripts and the SDK find it. */
export const SERVE_FILE = 'serve.json'

export const ServeFile = z.object({ url: z.string().url(), pid: z.number().int() })
export type ServeFile = z.infer<typeof ServeFile>

/** Written privately (0600) and atomically: a reader never sees half a file. */
export function writeServeFile(root: string, info: ServeFile): void {
  const file = join(root, SERVE_FILE)
  writeFileAtomic(file, `${JSON.stringify(info)}\n`)
}

/** Removed when that server stops, unless another server has written its own since. */
export function removeServeFile(root: string, pid: number): void {
  if (readServeFile(root)?.pid === pid) rmSync(join(root, SERVE_FILE), { force: true })
}

/** The server's file, or undefined when there is none or it does not read (a server that crashed may leave one). */
export function readServeFile(root: string): ServeFile | undefined {
  try {
    return ServeFile.parse(JSON.parse(readFileSync(join(root, SERVE_FILE), 'utf8')))
  } catch {
    return undefined
  }
}
