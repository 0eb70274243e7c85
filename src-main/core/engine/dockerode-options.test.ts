import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Dockerode from 'dockerode'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EngineEndpoint } from '../contract'
import { toDockerodeOptions } from './dockerode-options'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('toDockerodeOptions', () => {
  it('reaches a unix socket by path, with no API version pinned', () => {
    const options = toDockerodeOptions({ kind: 'unix', url: 'unix:///var/run/docker.sock', source: 'default' }, {})
    expect(options).toMatchObject({ socketPath: '/var/run/docker.sock', host: undefined, protocol: 'http' })
    expect((new Dockerode(options).modem as { version?: string }).version).toBeUndefined()
  })

  it('keeps a chosen socket even when DOCKER_HOST and TLS variables point elsewhere', () => {
    // docker-modem merges these variables under the given options; the endpoint must still win.
    vi.stubEnv('DOCKER_HOST', 'tcp://elsewhere:2376')
    vi.stubEnv('DOCKER_TLS_VERIFY', '1')
    vi.stubEnv('DOCKER_CLIENT_TIMEOUT', '10')
    const endpoint: EngineEndpoint = { kind: 'unix', url: 'unix:///run/chosen.sock', source: 'settings' }
    const modem = new Dockerode(toDockerodeOptions(endpoint)).modem
    expect(modem).toMatchObject({ socketPath: '/run/chosen.sock', host: undefined, protocol: 'http', timeout: undefined })
  })

  it('turns a named pipe URL into the pipe path', () => {
    const options = toDockerodeOptions({ kind: 'npipe', url: 'npipe:////./pipe/docker_engine', source: 'default' }, {})
    expect(options.socketPath).toBe('//./pipe/docker_engine')
  })

  it('reaches plain TCP by host and port', () => {
    const options = toDockerodeOptions({ kind: 'tcp', url: 'tcp://10.0.0.5:2375', source: 'DOCKER_HOST' }, {})
    expect(options).toMatchObject({ socketPath: undefined, host: '10.0.0.5', port: 2375, protocol: 'http', agent: undefined })
  })

  describe('with TLS', () => {
    let certs: string
    afterEach(() => rmSync(certs, { recursive: true, force: true }))

    function tlsOptions(tlsVerify: boolean, files: string[]) {
      certs = mkdtempSync(path.join(tmpdir(), 'sandlot-certs-'))
      for (const file of files) writeFileSync(path.join(certs, file), `${file} content`)
      return toDockerodeOptions(
        { kind: 'tcp', url: 'tcp://secure:2376', source: 'DOCKER_HOST', tlsVerify, tlsCertPath: certs },
        {}
      )
    }

    it('loads the CA and client certificate from the cert folder and verifies the server', () => {
      const options = tlsOptions(true, ['ca.pem', 'cert.pem', 'key.pem'])
      expect(options).toMatchObject({ host: 'secure', port: 2376, protocol: 'https' })
      expect(options.agent?.options).toMatchObject({
        ca: Buffer.from('ca.pem content'),
        cert: Buffer.from('cert.pem content'),
        key: Buffer.from('key.pem content'),
        rejectUnauthorized: true
      })
    })

    it('skips missing files and verification when asked to', () => {
      const options = tlsOptions(false, ['ca.pem'])
      expect(options.agent?.options).toMatchObject({ ca: Buffer.from('ca.pem content'), cert: undefined, key: undefined })
      expect(options.agent?.options.rejectUnauthorized).toBe(false)
    })
  })

  it('reaches SSH through the ssh-agent named in the environment', () => {
    const options = toDockerodeOptions(
      { kind: 'ssh', url: 'ssh://deploy@build-box', source: 'context', context: 'build' },
      { SSH_AUTH_SOCK: '/tmp/agent.sock' }
    )
    expect(options).toMatchObject({
      protocol: 'ssh',
      host: 'build-box',
      port: 22,
      username: 'deploy',
      sshOptions: { agent: '/tmp/agent.sock' }
    })
    expect(toDockerodeOptions({ kind: 'ssh', url: 'ssh://h:2222', source: 'settings' }, {})).toMatchObject({
      port: 2222,
      username: undefined
    })
  })
})
