// A stock automerge-repo peer (the npm packages, nothing of ScopePact's) that opens a scope
// document made by ScopePact on a ScopePact sync server, prints what it reads, and edits it the
// way JavaScript code naturally does: a whole-number price and a text splice in a description.
//
//   node peer.mjs WS_URL_WITH_TOKEN DOCUMENT_ID REFERENCE NEW_PRICE APPENDED_TEXT
//
// It exits once a second, fresh peer reads the change back from the server, so the change is
// known to be on the server, not only sent.

import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import * as Automerge from "@automerge/automerge"

const [url, documentId, reference, newPrice, appended] = process.argv.slice(2)
if (!appended) {
  console.error("usage: node peer.mjs WS_URL DOCUMENT_ID REFERENCE NEW_PRICE APPENDED_TEXT")
  process.exit(2)
}

function connect() {
  return new Repo({ network: [new WebSocketClientAdapter(url, 200)] })
}

// ScopePact writes plain strings as Automerge's scalar strings, which JavaScript sees as
// ImmutableString objects: compare and print them through String().
function byReference(doc) {
  const entry = Object.entries(doc.commitments).find(([, c]) => String(c.reference) === reference)
  if (!entry) throw new Error(`no commitment ${reference} in the document`)
  return entry
}

const limit = setTimeout(() => {
  console.error("timed out")
  process.exit(1)
}, 30000)

const writer = connect()
const handle = await writer.find(`automerge:${documentId}`)
const doc = handle.doc()
const [id, commitment] = byReference(doc)
console.log(
  JSON.stringify({
    title: String(doc.title),
    customer: String(doc.customer.name),
    commitments: Object.keys(doc.commitments).length,
    reference: String(commitment.reference),
    price: commitment.price,
  }),
)

const price = Number(newPrice)
handle.change((d) => {
  d.commitments[id].price = price
  const description = d.commitments[id].description
  Automerge.splice(d, ["commitments", id, "description"], description.length, 0, appended)
})

// Read it back through a peer that never saw it: then the server holds it.
for (;;) {
  const reader = connect()
  try {
    const copy = (await reader.find(`automerge:${documentId}`)).doc()
    const [, c] = byReference(copy)
    if (c.price === price && c.description.endsWith(appended)) {
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
