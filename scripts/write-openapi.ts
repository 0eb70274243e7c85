// `npm run openapi`: writes the REST API's OpenAPI document (generated from the contract) to docs/openapi.json.
import { writeFileSync } from 'node:fs'
import { OPENAPI_FILE, openApiDocument } from '../src-main/server/rest/openapi'

writeFileSync(OPENAPI_FILE, `${JSON.stringify(openApiDocument(), null, 2)}\n`)
console.log(`Wrote ${OPENAPI_FILE}`)
