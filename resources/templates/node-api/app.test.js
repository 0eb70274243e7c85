import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { after, before, test } from 'node:test'
import { handle } from './app.js'

let base
const server = createServer(handle)

before(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${server.address().port}`
})
after(() => server.close())

test('answers the health check', async () => {
  const res = await fetch(`${base}/health`)
  assert.equal(res.status, 200)
  assert.equal((await res.json()).ok, true)
})

test('creates, reads and deletes a note', async () => {
  const created = await fetch(`${base}/notes`, { method: 'POST', body: JSON.stringify({ text: 'hello' }) })
  assert.equal(created.status, 201)
  const { id } = await created.json()
  assert.equal((await (await fetch(`${base}/notes/${id}`)).json()).text, 'hello')
  assert.equal((await fetch(`${base}/notes/${id}`, { method: 'DELETE' })).status, 204)
  assert.equal((await fetch(`${base}/notes/${id}`)).status, 404)
})

test('refuses a body that is not JSON', async () => {
  assert.equal((await fetch(`${base}/notes`, { method: 'POST', body: 'nope' })).status, 400)
})
