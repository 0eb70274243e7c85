import { describe, expect, it } from 'vitest'
import { folderProblem, folderSlug } from './folder-model'

describe('a host folder typed into the New workspace view', () => {
  it('must be a full path, as the create checks it', () => {
    expect(folderProblem('')).toBeUndefined()
    expect(folderProblem('/home/me/site')).toBeUndefined()
    expect(folderProblem('C:\\Users\\me\\site')).toBeUndefined()
    expect(folderProblem('projects/site')).toMatch(/^Give the full path/)
  })

  it("names the workspace after the folder's last part", () => {
    expect(folderSlug('/home/me/My Site/')).toBe('my-site')
    expect(folderSlug('C:\\Users\\me\\web_app')).toBe('web-app')
    expect(folderSlug('/')).toBe('folder')
  })
})
