import { createServer } from 'node:http'
const s = createServer((req, res) => { res.end(JSON.stringify({ host: req.headers.host, origin: req.headers.origin })) })
await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
const port = (s.address() as any).port
const r = await fetch(`http://127.0.0.1:${port}/`, { headers: { host: 'evil.example', origin: 'https://evil.example' } })
console.log(await r.text())
s.close()
