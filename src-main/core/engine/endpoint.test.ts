import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SandlotError } from '../sandlot-error'
import { resolveEngineEndpoint, type ResolveEngineEndpointInput } from './endpoint'

let home: string

beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'sandlot-endpoint-'))
})

afterEach(() => {
  rmSync(home, { recursive: true, force: true })
})

function contextId(name: string): string {
  return createHash('sha256').update(name).digest('hex')
}

/** Writes a context as `docker context create` stores it. */
function writeContext(name: string, docker: { Host: string; SkipTLSVerify?: boolean }, options: { tls?: boolean } = {}): string {
  const metaDir = path.join(home, '.docker', 'contexts', 'meta', contextId(name))
  mkdirSync(metaDir, { recursive: true })
  writeFileSync(path.join(metaDir, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker } }))
  const tlsDir = path.join(home, '.docker', 'contexts', 'tls', contextId(name), 'docker')
  if (options.tls === true) {
    mkdirSync(tlsDir, { recursive: true })
    writeFileSync(path.join(tlsDir, 'ca.pem'), 'ca')
  }
  return tlsDir
}

function writeConfig(config: unknown): void {
  mkdirSync(path.join(home, '.docker'), { recursive: true })
  writeFileSync(path.join(home, '.docker', 'config.json'), typeof config === 'string' ? config : JSON.stringify(config))
}

/** Linux resolution where the system socket's presence is decided by the test, not by this machine. */
function resolve(input: Partial<ResolveEngineEndpointInput> = {}, systemSocket = true) {
  return resolveEngineEndpoint({
    env: {},
    platform: 'linux',
    homedir: home,
    fileExists: (file) => (file === '/var/run/docker.sock' ? systemSocket : existsSync(file)),
    ...input
  })
}

function thrown(run: () => unknown): SandlotError {
  try {
    run()
  } catch (error) {
    if (error instanceof SandlotError) return error
    throw error
  }
  throw new Error('expected an error')
}

describe('resolveEngineEndpoint: settings', () => {
  it('prefers the settings host over DOCKER_HOST and contexts', () => {
    writeContext('remote', { Host: 'ssh://me@remote' })
    const endpoint = resolve({
      settings: { host: 'unix:///run/custom.sock', context: 'remote' },
      env: { DOCKER_HOST: 'tcp://elsewhere:2375', DOCKER_CONTEXT: 'remote' }
    })
    expect(endpoint).toEqual({ kind: 'unix', url: 'unix:///run/custom.sock', source: 'settings' })
  })

  it('uses the settings context over DOCKER_HOST', () => {
    writeContext('remote', { Host: 'ssh://me@remote:2222' })
    const endpoint = resolve({ settings: { context: 'remote' }, env: { DOCKER_HOST: 'tcp://elsewhere:2375' } })
    expect(endpoint).toEqual({ kind: 'ssh', url: 'ssh://me@remote:2222', source: 'context', context: 'remote' })
  })

  it('treats the settings context "default" as no context: DOCKER_HOST, else the platform default', () => {
    writeContext('remote', { Host: 'ssh://me@remote' })
    const env = { DOCKER_CONTEXT: 'remote' }
    expect(resolve({ settings: { context: 'default' }, env })).toMatchObject({ url: 'unix:///var/run/docker.sock', source: 'default' })
    expect(resolve({ settings: { context: 'default' }, env: { ...env, DOCKER_HOST: 'tcp://h:1' } })).toMatchObject({
      url: 'tcp://h:1',
      source: 'DOCKER_HOST'
    })
  })

  it('names the settings when their host or context is unusable', () => {
    const badHost = thrown(() => resolve({ settings: { host: 'fd://' } }))
    expect(badHost.message).toMatch(/^The engine host in Sandlot settings is not a usable Docker URL: "fd:\/\/"/)
    expect(badHost.hint).toMatch(/^Fix the engine host in Sandlot settings: use a URL such as/)
    const missing = thrown(() => resolve({ settings: { context: 'gone' } }))
    expect(missing.code).toBe('ENGINE_UNREACHABLE')
    expect(missing.message).toMatch(/"gone".*Sandlot settings/)
    expect(missing.hint).toMatch(/docker context ls/)
  })
})

describe('resolveEngineEndpoint: DOCKER_HOST', () => {
  it('uses a unix socket from DOCKER_HOST', () => {
    expect(resolve({ env: { DOCKER_HOST: 'unix:///tmp/d.sock' } })).toEqual({
      kind: 'unix',
      url: 'unix:///tmp/d.sock',
      source: 'DOCKER_HOST'
    })
  })

  it('reads a bare host:port as TCP and gives a missing port 2375', () => {
    expect(resolve({ env: { DOCKER_HOST: 'build-box:4243' } }).url).toBe('tcp://build-box:4243')
    expect(resolve({ env: { DOCKER_HOST: 'tcp://build-box' } })).toEqual({
      kind: 'tcp',
      url: 'tcp://build-box:2375',
      source: 'DOCKER_HOST'
    })
  })

  it('turns on verified TLS with DOCKER_TLS_VERIFY, certificates from DOCKER_CERT_PATH and port 2376', () => {
    const endpoint = resolve({ env: { DOCKER_HOST: 'tcp://secure', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' } })
    expect(endpoint).toEqual({
      kind: 'tcp',
      url: 'tcp://secure:2376',
      source: 'DOCKER_HOST',
      tlsVerify: true,
      tlsCertPath: '/certs'
    })
  })

  it('takes certificates from the docker config folder when DOCKER_CERT_PATH is unset', () => {
    const endpoint = resolve({ env: { DOCKER_HOST: 'tcp://secure:2376', DOCKER_TLS_VERIFY: '1' } })
    expect(endpoint.tlsCertPath).toBe(path.join(home, '.docker'))
    const withConfig = resolve({ env: { DOCKER_HOST: 'tcp://s:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CONFIG: '/cfg' } })
    expect(withConfig.tlsCertPath).toBe('/cfg')
  })

  it('encrypts without verifying with DOCKER_TLS alone', () => {
    expect(resolve({ env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS: '1' } })).toMatchObject({ tlsVerify: false })
  })

  it('ignores TLS variables for a unix socket, and an empty DOCKER_HOST', () => {
    expect(resolve({ env: { DOCKER_HOST: 'unix:///d.sock', DOCKER_TLS_VERIFY: '1' } })).not.toHaveProperty('tlsVerify')
    expect(resolve({ env: { DOCKER_HOST: '' } }).source).toBe('default')
  })

  it('wins over DOCKER_CONTEXT and the current context, as in the docker CLI', () => {
    writeContext('remote', { Host: 'ssh://me@remote' })
    writeConfig({ currentContext: 'remote' })
    expect(resolve({ env: { DOCKER_HOST: 'ssh://me@h', DOCKER_CONTEXT: 'remote' } })).toEqual({
      kind: 'ssh',
      url: 'ssh://me@h',
      source: 'DOCKER_HOST'
    })
  })

  it.each([
    ['fd://3', /unsupported scheme "fd:\/\/"/],
    ['tcp://', /not a valid URL|names no host/],
    ['unix://', /names no socket path/],
    ['tcp://host:2375/v1', /takes no path/],
    ['http://host:2375', /unsupported scheme "http:\/\/"/],
    ['   ', /is empty/]
  ])('rejects DOCKER_HOST=%j with an error naming DOCKER_HOST', (value, reason) => {
    const error = thrown(() => resolve({ env: { DOCKER_HOST: value } }))
    expect(error.message).toMatch(/^DOCKER_HOST is not a usable Docker URL/)
    expect(error.message).toMatch(reason)
    expect(error.hint).toMatch(/^Fix DOCKER_HOST: use a URL such as unix:\/\//)
  })
})

describe('resolveEngineEndpoint: Docker contexts', () => {
  it('uses DOCKER_CONTEXT over the current context of config.json', () => {
    writeContext('one', { Host: 'unix:///one.sock' })
    writeContext('two', { Host: 'unix:///two.sock' })
    writeConfig({ currentContext: 'one' })
    expect(resolve({ env: { DOCKER_CONTEXT: 'two' } })).toEqual({
      kind: 'unix',
      url: 'unix:///two.sock',
      source: 'context',
      context: 'two'
    })
  })

  it('uses the current context of config.json', () => {
    writeContext('desktop-linux', { Host: 'unix:///home/me/.docker/desktop/docker.sock' })
    writeConfig({ auths: {}, currentContext: 'desktop-linux' })
    expect(resolve()).toEqual({
      kind: 'unix',
      url: 'unix:///home/me/.docker/desktop/docker.sock',
      source: 'context',
      context: 'desktop-linux'
    })
  })

  it('reads a TCP context with its TLS material', () => {
    const tlsDir = writeContext('secure', { Host: 'tcp://10.0.0.5:2376' }, { tls: true })
    expect(resolve({ env: { DOCKER_CONTEXT: 'secure' } })).toEqual({
      kind: 'tcp',
      url: 'tcp://10.0.0.5:2376',
      source: 'context',
      context: 'secure',
      tlsCertPath: tlsDir,
      tlsVerify: true
    })
  })

  it('honours SkipTLSVerify, with or without TLS material', () => {
    writeContext('lax', { Host: 'tcp://10.0.0.5:2376', SkipTLSVerify: true }, { tls: true })
    writeContext('bare', { Host: 'tcp://10.0.0.6', SkipTLSVerify: true })
    writeContext('plain', { Host: 'tcp://10.0.0.7:2375' })
    expect(resolve({ env: { DOCKER_CONTEXT: 'lax' } })).toMatchObject({ tlsVerify: false, tlsCertPath: expect.any(String) })
    expect(resolve({ env: { DOCKER_CONTEXT: 'bare' } })).toMatchObject({ url: 'tcp://10.0.0.6:2376', tlsVerify: false })
    expect(resolve({ env: { DOCKER_CONTEXT: 'plain' } })).not.toHaveProperty('tlsVerify')
  })

  it('finds the context store under DOCKER_CONFIG', () => {
    const configDir = path.join(home, 'elsewhere')
    const metaDir = path.join(configDir, 'contexts', 'meta', contextId('x'))
    mkdirSync(metaDir, { recursive: true })
    writeFileSync(path.join(metaDir, 'meta.json'), JSON.stringify({ Endpoints: { docker: { Host: 'unix:///x.sock' } } }))
    writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ currentContext: 'x' }))
    expect(resolve({ env: { DOCKER_CONFIG: configDir } }).url).toBe('unix:///x.sock')
  })

  it('treats the "default" current context as the platform default', () => {
    writeConfig({ currentContext: 'default' })
    expect(resolve()).toMatchObject({ source: 'default' })
  })

  it('says where a missing context was named', () => {
    expect(thrown(() => resolve({ env: { DOCKER_CONTEXT: 'gone' } })).message).toMatch(/"gone" \(from DOCKER_CONTEXT\) does not exist/)
    writeConfig({ currentContext: 'vanished' })
    const error = thrown(() => resolve())
    expect(error.message).toContain(`"vanished" (from currentContext in ${path.join(home, '.docker', 'config.json')})`)
    expect(error.hint).toMatch(/docker context use default/)
  })

  it('names an unreadable config.json or context', () => {
    writeConfig('{ not json')
    expect(thrown(() => resolve()).message).toContain(`Cannot read ${path.join(home, '.docker', 'config.json')}`)
    writeConfig({ currentContext: 'odd' })
    writeContext('odd', { Host: 'tcp://h:1' })
    const meta = path.join(home, '.docker', 'contexts', 'meta', contextId('odd'), 'meta.json')
    writeFileSync(meta, JSON.stringify({ Endpoints: {} }))
    const config = path.join(home, '.docker', 'config.json')
    expect(thrown(() => resolve()).message).toBe(
      `Docker context "odd" (from currentContext in ${config}) has no Docker endpoint in ${meta}`
    )
    writeFileSync(meta, JSON.stringify({ Endpoints: { docker: { Host: 42 } } }))
    expect(thrown(() => resolve()).message).toContain(`Unexpected content in ${meta}`)
  })
})

describe('resolveEngineEndpoint: platform defaults', () => {
  it('uses the system socket on Linux when it exists', () => {
    expect(resolve({ env: { XDG_RUNTIME_DIR: home } })).toEqual({
      kind: 'unix',
      url: 'unix:///var/run/docker.sock',
      source: 'default'
    })
  })

  it('falls back to a rootless dockerd, then Docker Desktop, when the system socket is absent', () => {
    const runtimeDir = path.join(home, 'run')
    mkdirSync(runtimeDir)
    mkdirSync(path.join(home, '.docker', 'desktop'), { recursive: true })
    writeFileSync(path.join(home, '.docker', 'desktop', 'docker.sock'), '')
    expect(resolve({ env: { XDG_RUNTIME_DIR: runtimeDir } }, false).url).toBe(`unix://${home}/.docker/desktop/docker.sock`)
    writeFileSync(path.join(runtimeDir, 'docker.sock'), '')
    expect(resolve({ env: { XDG_RUNTIME_DIR: runtimeDir } }, false).url).toBe(`unix://${runtimeDir}/docker.sock`)
  })

  it('names the system socket on Linux when no socket exists at all', () => {
    expect(resolve({ env: { XDG_RUNTIME_DIR: home } }, false).url).toBe('unix:///var/run/docker.sock')
  })

  it("prefers Docker Desktop's per-user socket on macOS", () => {
    const darwin = { platform: 'darwin' as const }
    expect(resolve(darwin, false).url).toBe('unix:///var/run/docker.sock')
    mkdirSync(path.join(home, '.docker', 'run'), { recursive: true })
    writeFileSync(path.join(home, '.docker', 'run', 'docker.sock'), '')
    expect(resolve(darwin).url).toBe(`unix://${home}/.docker/run/docker.sock`)
  })

  it('uses the docker_engine named pipe on Windows', () => {
    expect(resolve({ platform: 'win32', homedir: 'C:\\Users\\me' })).toEqual({
      kind: 'npipe',
      url: 'npipe:////./pipe/docker_engine',
      source: 'default'
    })
  })

  it('reads a Windows context store with Windows paths', () => {
    const files = new Map([
      ['C:\\Users\\me\\.docker\\config.json', JSON.stringify({ currentContext: 'wsl' })],
      [
        `C:\\Users\\me\\.docker\\contexts\\meta\\${contextId('wsl')}\\meta.json`,
        JSON.stringify({ Endpoints: { docker: { Host: 'npipe:////./pipe/dockerDesktopLinuxEngine' } } })
      ]
    ])
    const endpoint = resolveEngineEndpoint({
      env: {},
      platform: 'win32',
      homedir: 'C:\\Users\\me',
      readFile: (file) => files.get(file) ?? '',
      fileExists: (file) => files.has(file)
    })
    expect(endpoint).toEqual({
      kind: 'npipe',
      url: 'npipe:////./pipe/dockerDesktopLinuxEngine',
      source: 'context',
      context: 'wsl'
    })
  })
})
