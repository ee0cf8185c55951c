// Lists the inbox of a JMAP account with jmap-jam and downloads every message, printing one JSON line per email:
// {"id","blobId","size","downloaded","sha256","subject"}. Arguments: SESSION_URL BEARER_TOKEN.
import { createHash } from "node:crypto";
import JamClient from "jmap-jam";

const [sessionUrl, token] = process.argv.slice(2);
const jam = new JamClient({ sessionUrl, bearerToken: token });
const accountId = await jam.getPrimaryAccount();

const [mailboxes] = await jam.api.Mailbox.query({ accountId, filter: { role: "inbox" } });
const inbox = mailboxes.ids[0];
const [{ emails }] = await jam.requestMany((t) => {
  const query = t.Email.query({ accountId, filter: { inMailbox: inbox }, sort: [{ property: "receivedAt", isAscending: true }] });
  const emails = t.Email.get({ accountId, ids: query.$ref("/ids"), properties: ["id", "blobId", "size", "subject"] });
  return { query, emails };
});

for (const email of emails.list) {
  const response = await jam.downloadBlob({ accountId, blobId: email.blobId, mimeType: "message/rfc822", fileName: "m.eml" });
  const bytes = Buffer.from(await response.arrayBuffer());
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  console.log(JSON.stringify({ id: email.id, blobId: email.blobId, size: email.size, downloaded: bytes.length, sha256, subject: email.subject }));
}
