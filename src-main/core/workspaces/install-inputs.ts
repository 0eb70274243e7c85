import { createHash } from 'node:crypto'
import { Transform } from 'node:stream'
import { extract } from 'tar-stream'

/** The top-level files an install plan reads (whether to share the npm store, whether to snapshot). */
export const INSTALL_INPUT_FILES: ReadonlySet<string> = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'])
/** Beyond this an input is not read (a lockfile of a huge monorepo): the install then runs as usual. */
const MAX_INPUT_BYTES = 32 * 1024 * 1024

/**
 * Install inputs by file name; null when the file could not be read as such (too large, or not a regular
 * file, for example a link), which rules out sharing and snapshots.
 */
export type InstallInputs = ReadonlyMap<string, Buffer | null>

export interface TemplateArchiveTee {
  /** The same bytes, for the upload. */
  archive: NodeJS.ReadableStream
  inputs: Promise<InstallInputs>
  /** sha256 of the whole archive: everything an install could read, so a snapshot key can stand for it. */
  digest: Promise<string>
}

/**
 * Reads the install inputs and the digest of a template's tar while it streams to the container, so the
 * template is packed once and both describe exactly the bytes the workspace got, before anything ran in it.
 */
export function teeTemplateArchive(source: NodeJS.ReadableStream): TemplateArchiveTee {
  const reader = extract()
  const hash = createHash('sha256')
  const found = new Map<string, Buffer | null>()
  const inputs = new Promise<InstallInputs>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      const name = header.name.replace(/^\.\//, '')
      if (!INSTALL_INPUT_FILES.has(name) || header.type !== 'file' || (header.size ?? 0) > MAX_INPUT_BYTES) {
        if (INSTALL_INPUT_FILES.has(name)) found.set(name, null)
        stream.on('end', next).resume()
        return
      }
      const chunks: Buffer[] = []
      stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer))
      stream.on('end', () => {
        found.set(name, Buffer.concat(chunks))
        next()
      })
    })
    reader.on('finish', () => resolve(found))
    reader.on('error', reject)
  })
  let settleDigest: (digest: string) => void = () => {}
  const digest = new Promise<string>((resolve) => (settleDigest = resolve))
  // Only awaited after a successful upload; a failed one reports its own error.
  inputs.catch(() => undefined)
  // One pipe out of the source (some tar packers can only feed one); the reader drains every entry it is not
  // keeping, so it never holds the upload back.
  const archive = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      reader.write(chunk)
      done(null, chunk)
    },
    flush(done) {
      settleDigest(hash.digest('hex'))
      ;(reader as NodeJS.WritableStream).end()
      done(null)
    }
  })
  source.once('error', (err: Error) => {
    archive.destroy(err)
    reader.destroy(err)
  })
  source.pipe(archive)
  return { archive, inputs, digest }
}
