import { describe, expect, it } from 'vitest'
import { ImageReference, isImageReference } from './image'
import { Settings } from './settings'
import { methods } from './methods'

describe("image references (Docker's grammar)", () => {
  it.each([
    'node',
    'node:22-bookworm-slim',
    'library/node:22',
    'sandlot/base-offline:22-bookworm',
    'registry.example.com/team/node:22',
    'localhost:5000/my_app__v2/x-y.z:tag_1.0',
    '[::1]:5000/node',
    'node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'node:22@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
  ])('accepts %s', (reference) => {
    expect(isImageReference(reference)).toBe(true)
  })

  it.each([
    '../something',
    '..//evil.example.com/x',
    'node/../../containers/json',
    '/images/json',
    'node:22/../../x',
    'node?x=1',
    'node#frag',
    'node%2F..',
    'Node',
    'node:',
    'node::22',
    ':22',
    'a..b',
    'node name',
    'node\n',
    `${'a'.repeat(256)}:1`,
    'node@sha256:short',
    ''
  ])('refuses %j', (reference) => {
    expect(isImageReference(reference)).toBe(false)
    expect(ImageReference.safeParse(reference).success).toBe(false)
  })

  it('is the rule wherever a reference enters: settings, image.status and image.build parameters', () => {
    const bad = '../something'
    expect(Settings.safeParse({ image: { base: bad } }).success).toBe(false)
    const status = methods['image.status'].params.safeParse({ base: bad })
    expect(status.success).toBe(false)
    expect(status.error?.issues[0]?.message).toMatch(/must be an image reference such as node:22-bookworm-slim/)
    expect(methods['image.build'].params.safeParse({ base: bad }).success).toBe(false)
    expect(methods['image.status'].params.safeParse({ base: 'node:22-bookworm-slim' }).success).toBe(true)
  })
})
