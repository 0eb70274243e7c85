import { Transform } from 'node:stream'
import { extract } from 'tar-stream'

/** The top-level files whose content decides what an npm install puts into node_modules. */
export const INSTALL_INPUT_FILES: ReadonlySet<string> = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'])
/** Beyond this an input is not read (a lockfile of a huge monorepo): the install then runs as usual. */
const MAX_INPUT_BYTES = 32 * 1024 * 1024

/** Install inputs by file name; a name maps to null when the file was too large to read. */
export type InstallInputs = ReadonlyMap<string, Buffer | null>

/**
 * Reads the install inputs out of a template's tar while it streams to the container, so the template is
 * packed once and the inputs are exactly the bytes the workspace got, before anything ran in it.
 */
export function teeInstallInputs(archive: NodeJS.ReadableStream): { archive: NodeJS.ReadableStream; inputs: Promise<InstallInputs> } {
  const reader = extract()
  const found = new Map<string, Buffer | null>()
  const inputs = new Promise<InstallInputs>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      const name = header.name.replace(/^\.\//, '')
      if (header.type !== 'file' || !INSTALL_INPUT_FILES.has(name) || (header.size ?? 0) > MAX_INPUT_BYTES) {
        if (header.type === 'file' && INSTALL_INPUT_FILES.has(name)) found.set(name, null)
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
  // Only awaited after a successful upload; a failed one reports its own error.
  inputs.catch(() => undefined)
  // One pipe out of the source (some tar packers can only feed one); the reader drains every entry it is not
  // keeping, so it never holds the upload back.
  const upload = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      reader.write(chunk)
      done(null, chunk)
    },
    flush(done) {
      ;(reader as NodeJS.WritableStream).end()
      done(null)
    }
  })
  archive.once('error', (err: Error) => {
    upload.destroy(err)
    reader.destroy(err)
  })
  archive.pipe(upload)
  return { archive: upload, inputs }
}
