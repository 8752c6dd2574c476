/**
 * Child process for the record store's crash tests: `node --import tsx record-store-child.ts <file>`.
 * Opens the store (with checkpoints every few KB, so a kill often lands in one), then writes until
 * it is killed: creates, updates and deletes of `items`, 16 in flight, never two on one id.
 * Prints `{"ready":true}`, then per operation a `start` line before it and an `ack` line once
 * `commit()` resolved (i.e. the store says it is durable): the parent checks every ack survived.
 */
import { RecordStore } from '../record-store.js';

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: record-store-child.ts <file>\n');
  process.exit(2);
}

const store = await RecordStore.open(file, {
  collections: [{ name: 'items', groupBy: 'group', unique: ['digest'] }],
  initialMeta: { kind: 'crash-test' },
  checkpointMinBytes: 8 * 1024,
  checkpointSnapshotRatio: 0,
});
const out = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

// Continue from what is on disk: live items and their versions.
const live = new Map<string, number>();
let next = 0;
for (const item of store.list('items')) {
  live.set(item.id as string, item.version as number);
  next = Math.max(next, Number(String(item.id).slice(1)) + 1);
}
next += 1_000; // ids of items created but lost (unacknowledged) are never reused
const busy = new Set<string>();
out({ ready: true, live: live.size });

async function one(): Promise<void> {
  const roll = Math.random();
  const idle = [...live.keys()].filter((id) => !busy.has(id));
  const pick = idle[Math.floor(Math.random() * idle.length)];
  let op: 'put' | 'delete';
  let id: string;
  let version: number;
  if (roll < 0.6 || pick === undefined) {
    op = 'put';
    id = `i${next++}`;
    version = 1;
  } else if (roll < 0.85) {
    op = 'put';
    id = pick;
    version = live.get(pick)! + 1;
  } else {
    op = 'delete';
    id = pick;
    version = 0;
  }
  busy.add(id);
  out({ start: op, id, version });
  const record = op === 'delete' ? null : { id, group: `g${Number(id.slice(1)) % 3}`, digest: `d-${id}`, version, pad: 'x'.repeat(200 + Math.floor(Math.random() * 400)) };
  await store.commit([{ collection: 'items', id, record }]);
  if (op === 'delete') live.delete(id);
  else live.set(id, version);
  busy.delete(id);
  out({ ack: op, id, version });
}

await Promise.all(
  Array.from({ length: 16 }, async () => {
    for (;;) await one();
  }),
);
