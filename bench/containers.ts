import { PassThrough, type Readable } from 'node:stream'
import type Dockerode from 'dockerode'
import tar from 'tar-stream'

/** Labels of every benchmark container: a Sandlot-managed container of this run's own instance id. */
export function benchLabels(instance: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'dev.sandlot.managed': 'true', 'dev.sandlot.instance': instance, ...extra }
}

/** Removes every container of this instance id (running or not); returns how many. Never throws. */
export async function removeInstanceContainers(docker: Dockerode, instance: string): Promise<number> {
  let found: Dockerode.ContainerInfo[]
  try {
    found = await docker.listContainers({ all: true, filters: { label: [`dev.sandlot.instance=${instance}`] } })
  } catch {
    return 0
  }
  await Promise.all(found.map((c) => removeContainer(docker.getContainer(c.Id))))
  return found.length
}

export async function removeContainer(container: Dockerode.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true })
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) process.stderr.write(`bench: could not remove ${container.id.slice(0, 12)}: ${(error as Error).message}\n`)
  }
}

/** Writes files (mode 0644, or the given one) into a directory of a created or running container. */
export async function putFiles(container: Dockerode.Container, dir: string, files: Record<string, string | Buffer>): Promise<void> {
  const pack = tar.pack()
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, content)
  pack.finalize()
  await container.putArchive(pack as unknown as NodeJS.ReadableStream, { path: dir })
}

/**
 * Reads one file out of the container through the engine's archive API (no process runs inside the
 * container); undefined when it does not exist. (Not infoArchive: dockerode leaves its HEAD request's
 * connection open, which keeps the process alive.)
 */
export async function readFile(container: Dockerode.Container, path: string): Promise<Buffer | undefined> {
  let archive: Readable
  try {
    archive = (await container.getArchive({ path })) as Readable
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined
    throw error
  }
  const extract = tar.extract()
  const chunks: Buffer[] = []
  await new Promise<void>((resolve, reject) => {
    extract.on('entry', (_header, stream, next) => {
      stream.on('data', (chunk) => chunks.push(chunk as Buffer))
      stream.on('end', next)
      stream.resume()
    })
    extract.on('finish', resolve)
    extract.on('error', reject)
    archive.on('error', reject)
    archive.pipe(extract)
  })
  // The extractor stops at the tar trailer; whatever padding follows would keep the connection open.
  archive.destroy()
  return Buffer.concat(chunks)
}

export interface ExecResult {
  exitCode: number | null
  stdout: string
  stderr: string
}

/** Runs a command in a running container (non-Tty, demuxed) and waits for it. */
export async function execIn(docker: Dockerode, container: Dockerode.Container, cmd: string[]): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true })
  const stream = await exec.start({ hijack: true, stdin: false })
  const out = new PassThrough()
  const err = new PassThrough()
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  out.on('data', (c: Buffer) => stdout.push(c))
  err.on('data', (c: Buffer) => stderr.push(c))
  docker.modem.demuxStream(stream, out, err)
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve)
    stream.on('close', resolve)
    stream.on('error', reject)
  })
  stream.destroy()
  const info = await exec.inspect()
  return { exitCode: info.ExitCode ?? null, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }
}

export interface ContainerLogs {
  stdout: Buffer
  stderr: Buffer
}

/** The log of a (non-Tty) container (all of it, or its last `tail` lines) as the engine stored it, split back into stdout and stderr. */
export async function readLogs(container: Dockerode.Container, tail?: number): Promise<ContainerLogs> {
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false, ...(tail ? { tail } : {}) })) as unknown as Buffer
  return demux(raw)
}

/** Splits Docker's multiplexed stream: frames of [stream, 0, 0, 0, size (uint32 BE)] + payload. */
export function demux(raw: Buffer): ContainerLogs {
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  let offset = 0
  while (offset + 8 <= raw.length) {
    const kind = raw[offset]
    const size = raw.readUInt32BE(offset + 4)
    const payload = raw.subarray(offset + 8, offset + 8 + size)
    if (kind === 2) stderr.push(payload)
    else stdout.push(payload)
    offset += 8 + size
  }
  if (offset !== raw.length) throw new Error(`the engine's log stream ended inside a frame (${raw.length - offset} bytes left)`)
  return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) }
}
