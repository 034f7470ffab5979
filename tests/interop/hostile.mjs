// A stock automerge-repo peer that writes what ScopePact's model does not allow into a scope
// document on a ScopePact sync server, the way a broken script or a hostile peer would:
//
//   node hostile.mjs WS_URL_WITH_TOKEN DOCUMENT_ID many|list
//
// `many`: C-01's price becomes "abc", the title is removed, C-02's kind is unknown, `people`
// becomes null, garbage goes into `actors`, `signatures` and `import_base`, and a map nested
// 1,000 deep goes under an unknown key. `list`: the commitments become a list.
// It exits once a second, fresh peer reads the change back from the server.

import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

const [url, documentId, mode] = process.argv.slice(2)
if (!mode) {
  console.error("usage: node hostile.mjs WS_URL DOCUMENT_ID many|list")
  process.exit(2)
}
const connect = () => new Repo({ network: [new WebSocketClientAdapter(url, 200)] })
const limit = setTimeout(() => {
  console.error("timed out")
  process.exit(1)
}, 30000)

const byReference = (doc, reference) =>
  Object.entries(doc.commitments).find(([, c]) => String(c.reference) === reference)[0]

const writer = connect()
const handle = await writer.find(`automerge:${documentId}`)
const doc = handle.doc()
const c01 = byReference(doc, "C-01")
const c02 = byReference(doc, "C-02")
handle.change((d) => {
  if (mode === "list") {
    d.commitments = ["not", "a", "map"]
    return
  }
  d.commitments[c01].price = "abc"
  delete d.title
  d.commitments[c02].kind = "Spaceship"
  d.people = null
  d.actors["ffff"] = 42
  d.signatures = "garbage"
  d.import_base = { not: "a list" }
  const deep = {}
  let at = deep
  for (let i = 0; i < 1000; i++) {
    at.deeper = {}
    at = at.deeper
  }
  d.unknown_key = deep
})
const done = (copy) =>
  mode === "list" ? Array.isArray(copy.commitments) : copy.title === undefined && copy.people === null

for (;;) {
  const reader = connect()
  try {
    const copy = (await reader.find(`automerge:${documentId}`)).doc()
    if (done(copy)) {
      await reader.shutdown()
      break
    }
  } catch (e) {
    console.error(`reading back: ${e}`)
  }
  await reader.shutdown()
  await new Promise((resolve) => setTimeout(resolve, 200))
}
await writer.shutdown()
clearTimeout(limit)
console.error("the server holds the change")
process.exit(0)
