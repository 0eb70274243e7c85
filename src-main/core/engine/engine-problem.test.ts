import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { EngineEndpoint } from '../contract'
import { describeEngineError, START_ENGINE_HINT, isTransportError } from './engine-problem'

const defaultSocket: EngineEndpoint = { kind: 'unix', url: 'unix:///var/run/docker.sock', source: 'default' }

function socketError(code: string, file = '/var/run/docker.sock'): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ${code} ${file}`), { code, syscall: 'connect', address: file })
}

/** A real error from connecting to a socket that does not exist. */
function realConnectError(file: string): Promise<Error> {
  return new Promise((resolve) => connect(file).on('error', resolve))
}

describe('describeEngineError', () => {
  it('says which engine is missing and to start one, for a real missing socket', async () => {
    const error = await realConnectError('/tmp/sandlot-no-such-engine.sock')
    expect(describeEngineError(error, defaultSocket)).toEqual({
      message: 'Docker engine not reachable at unix:///var/run/docker.sock (connect ENOENT)',
      hint: START_ENGINE_HINT
    })
  })

  it('says to join the docker group when the socket refuses the user', () => {
    const problem = describeEngineError(socketError('EACCES'), defaultSocket)
    expect(problem.message).toBe('Docker engine not reachable at unix:///var/run/docker.sock (connect EACCES)')
    expect(problem.hint).toMatch(/^Permission denied on \/var\/run\/docker\.sock: add your user to the docker group/)
  })

  it('points at DOCKER_HOST when that chose the engine', () => {
    const endpoint: EngineEndpoint = { kind: 'tcp', url: 'tcp://build-box:2375', source: 'DOCKER_HOST' }
    const problem = describeEngineError(socketError('ECONNREFUSED'), endpoint)
    expect(problem.hint).toBe(
      'Docker engine not reachable: check DOCKER_HOST (tcp://build-box:2375), or unset it to use the local engine'
    )
  })

  it('points at the context or the settings when those chose the engine', () => {
    const context: EngineEndpoint = { kind: 'ssh', url: 'ssh://me@box', source: 'context', context: 'box' }
    expect(describeEngineError(socketError('ECONNREFUSED'), context).hint).toMatch(/check Docker context "box"/)
    const settings: EngineEndpoint = { kind: 'unix', url: 'unix:///run/x.sock', source: 'settings' }
    expect(describeEngineError(socketError('ENOENT'), settings).hint).toMatch(/check the engine host in Sandlot settings/)
  })

  it('points at the certificates on a TLS failure', () => {
    const endpoint: EngineEndpoint = {
      kind: 'tcp',
      url: 'tcp://secure:2376',
      source: 'DOCKER_HOST',
      tlsVerify: true,
      tlsCertPath: '/home/me/.docker'
    }
    const error = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN'
    })
    const problem = describeEngineError(error, endpoint)
    expect(problem.message).toBe(
      'Docker engine not reachable at tcp://secure:2376 (self-signed certificate in certificate chain)'
    )
    expect(problem.hint).toMatch(/^TLS with tcp:\/\/secure:2376 failed: check the certificates in \/home\/me\/\.docker/)
  })

  it('points at SSH access on an SSH failure', () => {
    const endpoint: EngineEndpoint = { kind: 'ssh', url: 'ssh://me@box', source: 'DOCKER_HOST' }
    const error = Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' })
    const problem = describeEngineError(error, endpoint)
    expect(problem.message).toBe('Docker engine not reachable at ssh://me@box (All configured authentication methods failed)')
    expect(problem.hint).toMatch(/^SSH to me@box failed: check that `ssh me@box docker version` works/)
  })

  it('keeps the message of errors without a socket call, and copes with non-errors', () => {
    expect(describeEngineError(new Error('no answer within 5 s'), defaultSocket).message).toBe(
      'Docker engine not reachable at unix:///var/run/docker.sock (no answer within 5 s)'
    )
    expect(describeEngineError(Object.assign(new Error(''), { code: 'ECONNRESET' }), defaultSocket).message).toMatch(
      /\(ECONNRESET\)$/
    )
    expect(describeEngineError('weird', defaultSocket).message).toMatch(/\(weird\)$/)
  })
})

describe('isTransportError', () => {
  it('tells errors that never reached the engine from the engine\'s own answers', () => {
    expect(isTransportError(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT', syscall: 'connect' }))).toBe(true)
    expect(isTransportError(Object.assign(new Error('tls'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }))).toBe(true)
    expect(isTransportError(Object.assign(new Error('ssh'), { level: 'client-authentication' }))).toBe(true)
    expect(isTransportError(Object.assign(new Error('no such image'), { statusCode: 404 }))).toBe(false)
    expect(isTransportError(new Error('plain'))).toBe(false)
    expect(isTransportError('text')).toBe(false)
  })
})
