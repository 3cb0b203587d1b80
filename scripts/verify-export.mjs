#!/usr/bin/env node
// Checks an exported ceasefire-tracker log without the tracker or its database: Node.js only.
//
//   node scripts/verify-export.mjs events.ndjson
//   node scripts/verify-export.mjs events.ndjson --checkpoint checkpoint.json --public-key key.pem
//
// It recomputes the hash chain (hash = sha256(prev_hash ‖ RFC 8785 JSON of the event), the first
// prev_hash 32 zero bytes) and, given a signed checkpoint {position, hash, signature} and the
// Ed25519 public key that signed it (GET /api/audit/public-key), checks the signature and that
// the export holds exactly that hash at that position. Exit status 0 when everything holds.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

// RFC 8785 for the values an export holds (objects, arrays, strings, finite numbers, booleans,
// null): keys sorted by UTF-16 code units, ECMAScript number and string serialisation.
function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

function fail(message) {
  console.error(`NOT VERIFIED: ${message}`);
  process.exit(1);
}

const [file, ...rest] = process.argv.slice(2);
if (!file) fail('usage: verify-export.mjs EXPORT.ndjson [--checkpoint FILE.json --public-key KEY.pem]');
const option = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
const checkpoint = option('--checkpoint') ? JSON.parse(readFileSync(option('--checkpoint'), 'utf8')) : null;
const publicKeyPem = option('--public-key') ? readFileSync(option('--public-key'), 'utf8') : null;
if (checkpoint && !publicKeyPem) fail('a checkpoint needs the --public-key that signed it');

let prev = Buffer.alloc(32);
let position = 0;
let line = 0;
let seenCheckpoint = false;
for await (const text of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
  line += 1;
  if (text.trim() === '') continue;
  const e = JSON.parse(text);
  if (e.position !== position + 1) fail(`line ${line}: position ${e.position}, expected ${position + 1}`);
  if (e.prevHash !== prev.toString('hex')) fail(`line ${line}: prevHash does not link to position ${position}`);
  const hashed = {
    position: e.position, eventId: e.eventId, streamId: e.streamId, streamVersion: e.streamVersion, type: e.type,
    schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt,
  };
  const hash = createHash('sha256').update(prev).update(canonical(hashed), 'utf8').digest();
  if (hash.toString('hex') !== e.hash) fail(`line ${line}: position ${e.position} was altered (its hash does not match)`);
  if (checkpoint && e.position === checkpoint.position) {
    if (e.hash !== checkpoint.hash) fail(`position ${e.position} has hash ${e.hash}, the checkpoint signed ${checkpoint.hash}`);
    seenCheckpoint = true;
  }
  prev = hash;
  position = e.position;
}
console.log(`chain verified: ${position} events, head hash ${position ? prev.toString('hex') : '(empty)'}`);

if (checkpoint) {
  if (!seenCheckpoint) fail(`the export ends at position ${position}, before the checkpoint's position ${checkpoint.position}`);
  const message = Buffer.from(`ceasefire-checkpoint:v1:${checkpoint.position}:${checkpoint.hash}`, 'utf8');
  const ok = verify(null, message, createPublicKey(publicKeyPem), Buffer.from(checkpoint.signature, 'base64'));
  if (!ok) fail('the checkpoint signature does not verify with this public key');
  console.log(`checkpoint verified: position ${checkpoint.position} signed by key ${checkpoint.keyId ?? '(unnamed)'}`);
}
