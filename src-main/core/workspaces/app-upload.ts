import type Dockerode from 'dockerode'

/**
 * Puts a tar into /app. docker-modem pipes the stream without listening for its errors, so a packing failure
 * (a file changed or vanished meanwhile, a refused archive entry) aborts the upload here instead of leaving it open.
 */
export async function uploadToApp(container: Dockerode.Container, archive: NodeJS.ReadableStream): Promise<void> {
  const abort = new AbortController()
  let failure: Error | undefined
  archive.once('error', (err: Error) => {
    failure = err
    abort.abort()
  })
  try {
    await container.putArchive(archive, { path: '/app', abortSignal: abort.signal } as { path: string })
  } catch (err) {
    throw failure ?? err
  } finally {
    // A refused upload must not leave the packer waiting with open files.
    ;(archive as { destroy?: () => void }).destroy?.()
  }
}
