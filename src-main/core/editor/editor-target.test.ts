import { describe, expect, it } from 'vitest'
import { attachedContainerUri, editorArgs } from './editor-target'

describe('attachedContainerUri', () => {
  it('is the Dev Containers attach URI: hex of {"containerName":"/<name>"}, then the folder', () => {
    const uri = attachedContainerUri('/sandlot-web')
    expect(uri).toBe(`vscode-remote://attached-container+${Buffer.from('{"containerName":"/sandlot-web"}').toString('hex')}/app`)
    const hex = /attached-container\+([0-9a-f]+)\/app$/.exec(uri)![1]!
    expect(JSON.parse(Buffer.from(hex, 'hex').toString('utf8'))).toEqual({ containerName: '/sandlot-web' })
  })

  it('adds the leading slash the engine gives container names, and takes another folder', () => {
    expect(attachedContainerUri('sandlot-web')).toBe(attachedContainerUri('/sandlot-web'))
    expect(attachedContainerUri('/sandlot-web', '/app/src')).toMatch(/\/app\/src$/)
  })
})

describe('editorArgs', () => {
  it('opens a container with --folder-uri and a host folder as itself', () => {
    expect(editorArgs({ kind: 'container', containerName: '/sandlot-web' })).toEqual(['--folder-uri', attachedContainerUri('/sandlot-web')])
    expect(editorArgs({ kind: 'folder', path: '/home/me/project' })).toEqual(['/home/me/project'])
  })
})
