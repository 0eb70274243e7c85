import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { OPENAPI_FILE, openApiDocument } from './openapi'

describe('the OpenAPI document', () => {
  it('is committed as generated from the contract (regenerate: npm run openapi)', () => {
    expect(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'))).toEqual(openApiDocument())
  })
})
