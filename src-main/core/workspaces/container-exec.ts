import type Dockerode from 'dockerode'
import { LogLineSplitter } from '../monitor/log-frames'

export interface ExecResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface ExecOptions {
  /**
   * Who runs the command. `node` (the default): the app's user, for everything a user or an install runs.
   * `monitor`: the container's own user, the monitor's (root in containers made by this release; `node` in
   * older ones): only `monitor-cli`, whose socket no one else may open.
   */
  user?: 'node' | 'monitor'
  env?: Record<string, string>
  workingDir?: string
  /** Each output line as it arrives (progress for installs). */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void
  /** Keep at most this many characters of each stream (the tail; 0 keeps nothing): installs can print megabytes. */
  keep?: number
  /** Raw bytes to these streams instead of lines (`sandlot exec`): nothing decoded, nothing added, nothing kept. */
  raw?: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }
  /** The command's standard input (`sandlot exec -i`); its end closes the command's stdin. */
  stdin?: NodeJS.ReadableStream
}

/** Runs a command in a container without a TTY (demuxed, byte-exact) and waits for its exit code. */
export async function execInContainer(container: Dockerode.Container, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const exec = await container.exec({
    Cmd: cmd,
    ...((options.user ?? 'node') === 'node' ? { User: 'node' } : {}),
    AttachStdin: options.stdin !== undefined,
    AttachStdout: true,
    AttachStderr: true,
    ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
    ...(options.env ? { Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`) } : {})
  })
  const stream = await exec.start({ hijack: true, stdin: options.stdin !== undefined })
  // Ending our side of the connection is what closes the command's stdin (the engine half-closes).
  options.stdin?.pipe(stream)
  const keep = options.keep ?? 1_000_000
  const output = { stdout: '', stderr: '' }
  const splitter = new LogLineSplitter((name, line) => {
    if (keep > 0) output[name] = (output[name] + line + '\n').slice(-keep)
    options.onLine?.(name, line)
  })
  await new Promise<void>((resolve, reject) => {
    if (options.raw) container.modem.demuxStream(stream, options.raw.stdout, options.raw.stderr)
    else stream.on('data', (chunk: Buffer) => splitter.push(chunk))
    stream.on('end', resolve)
    stream.on('close', resolve)
    stream.on('error', reject)
  })
  splitter.end()
  if (options.stdin) {
    options.stdin.unpipe(stream)
    options.stdin.pause()
  }
  const info = await exec.inspect()
  return { exitCode: info.ExitCode ?? -1, ...output }
}
