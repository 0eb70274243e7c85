import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import type Dockerode from 'dockerode'
import { pack } from 'tar-stream'

const root = join(import.meta.dirname, '..', '..')

/**
 * The base image tests build the core image FROM: `SANDLOT_TEST_BASE_IMAGE` (for example node:22-bookworm-slim
 * where a registry is reachable), else the offline base of PLATFORM.md, built once and reused.
 */
export function testBaseImage(): string {
  const fromEnv = process.env.SANDLOT_TEST_BASE_IMAGE
  if (fromEnv) return fromEnv
  return execFileSync('bash', [join(root, 'container', 'base', 'build-offline-base.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000
  }).trim()
}

/** A tar archive of files (name → content), owned by the image's user (uid 1000), as templates pack theirs. */
export function tarOf(files: Record<string, string>): NodeJS.ReadableStream {
  const tar = pack()
  for (const [name, content] of Object.entries(files)) tar.entry({ name, mode: 0o644, uid: 1000, gid: 1000 }, content)
  tar.finalize()
  return tar as unknown as NodeJS.ReadableStream
}

/** Files into a container path, owned by the image's user (uid 1000), through the archive API. */
export async function putFiles(container: Dockerode.Container, dir: string, files: Record<string, string>): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of tarOf(files) as AsyncIterable<Buffer>) chunks.push(chunk)
  await container.putArchive(Buffer.concat(chunks), { path: dir })
}
