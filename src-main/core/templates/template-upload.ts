import { closeSync, createReadStream, createWriteStream, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { extract } from 'tar-stream'
import { SandlotError } from '../sandlot-error'
import { sanitizeArchive } from './template-archive'

/**
 * Extracts an uploaded template archive (tar or .tar.gz) into a fresh private folder and hands that folder to
 * `add` (the catalog's, which checks the folder again and copies it), removing it afterwards. Every entry is
 * checked by sanitizeArchive first, as a saved workspace's are: names stay inside, links point inside and come
 * last (so nothing is written through one), no hard links or devices, the template size limits.
 */
export async function addFromArchive<T>(file: string, add: (folder: string) => Promise<T>): Promise<T> {
  const scratch = mkdtempSync(join(tmpdir(), 'sandlot-template-upload-'))
  try {
    // The folder's name is the id a template without one is given (from package.json's name first).
    const root = join(scratch, 'uploaded-template')
    mkdirSync(root, { mode: 0o700 })
    await extractChecked(file, root).catch(unreadable)
    const top = readdirSync(root, { withFileTypes: true })
    // An archive of a folder (`tar -czf t.tgz my-template`) holds that folder alone: the template is inside it.
    return await add(top.length === 1 && top[0]!.isDirectory() ? join(root, top[0]!.name) : root)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

async function extractChecked(file: string, root: string): Promise<void> {
  const source = createReadStream(file)
  const input = extract()
  const extracting = (async () => {
    for await (const entry of input) {
      const { name, type, mode, linkname } = entry.header
      const target = join(root, name)
      if (type === 'directory') mkdirSync(target, { recursive: true, mode: 0o755 })
      else if (type === 'symlink') {
        mkdirSync(dirname(target), { recursive: true })
        symlinkSync(linkname!, target)
      } else {
        mkdirSync(dirname(target), { recursive: true })
        // 'wx': a name given twice, or one already made, is refused rather than written through.
        await pipeline(entry, createWriteStream(target, { flags: 'wx', mode: (mode ?? 0o644) & 0o755 }))
        continue
      }
      entry.resume()
    }
  })()
  await Promise.all([pipeline(sanitizeArchive(isGzip(file) ? source.pipe(createGunzip()) : source), input as unknown as NodeJS.WritableStream), extracting])
}

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r')
  try {
    const magic = Buffer.alloc(2)
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b
  } finally {
    closeSync(fd)
  }
}

/** A refusal of the checks stays as it is; anything else means the bytes were not a tar (or gzip) at all. */
export function unreadable(err: unknown): never {
  if (err instanceof SandlotError) throw err
  throw new SandlotError('BAD_REQUEST', `Not a readable tar or .tar.gz archive: ${(err as Error).message}.`, 'Send a tar (or gzipped tar) archive. Nothing was changed.', { cause: err })
}
