// A JSON API on Node's own http module: no dependencies, nothing to install.

const MAX_BODY_BYTES = 64 * 1024

/** @type {Map<number, { id: number, text: string, createdAt: string }>} */
const notes = new Map()
let nextId = 1

/** The request handler; server.js listens with it, app.test.js tests it. */
export async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://localhost')
  try {
    if (req.method === 'GET' && url.pathname === '/') {
      return send(res, 200, { name: 'node-api', endpoints: ['GET /health', 'GET /notes', 'POST /notes', 'GET /notes/:id', 'DELETE /notes/:id'] })
    }
    if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { ok: true, uptime: process.uptime() })
    if (url.pathname === '/notes') {
      if (req.method === 'GET') return send(res, 200, [...notes.values()])
      if (req.method === 'POST') {
        const body = await readJson(req)
        if (typeof body?.text !== 'string' || body.text.trim() === '') return send(res, 400, { error: 'send {"text": "..."}' })
        const note = { id: nextId++, text: body.text, createdAt: new Date().toISOString() }
        notes.set(note.id, note)
        return send(res, 201, note)
      }
    }
    const match = /^\/notes\/(\d+)$/.exec(url.pathname)
    if (match) {
      const id = Number(match[1])
      if (!notes.has(id)) return send(res, 404, { error: `no note ${id}` })
      if (req.method === 'GET') return send(res, 200, notes.get(id))
      if (req.method === 'DELETE') {
        notes.delete(id)
        return send(res, 204)
      }
    }
    send(res, 404, { error: `no route for ${req.method} ${url.pathname}` })
  } catch (err) {
    send(res, err.status ?? 500, { error: err.expose ? err.message : 'internal error' })
    if (!err.expose) console.error(err)
  }
}

function send(res, status, body) {
  if (body === undefined) return res.writeHead(status).end()
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
}

async function readJson(req) {
  let size = 0
  const chunks = []
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('request body too large'), { status: 413, expose: true })
    chunks.push(chunk)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw Object.assign(new Error('request body is not JSON'), { status: 400, expose: true })
  }
}
