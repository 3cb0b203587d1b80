import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { RecordedEvent } from '../event-store/event-store.types';
import { HASH_HEADER, MessageChain, POSITION_HEADER, PREV_HASH_HEADER } from './log-message';

export interface FollowOptions {
  servers: string;
  stream: string;
  /** The first position to deliver. */
  from: number;
  /** Stop after this many events (default: follow for ever). */
  count?: number;
  onEvent(event: RecordedEvent, subject: string): void;
}

/**
 * A consumer of the published log, needing nothing but NATS: reads the stream in order from
 * position `from` through an ordered consumer and checks the hash chain from the messages alone
 * (ChainBrokenError names the first message that breaks it). Returns the last position and hash.
 */
export async function followLog({ servers, stream, from, count, onEvent }: FollowOptions): Promise<{ position: number; hash: string } | null> {
  const nc = await connect({ servers: servers.split(','), name: 'ceasefire-follow' });
  try {
    const jsm = await jetstreamManager(nc);
    const startSeq = await startSequence(jsm, stream, from);
    const consumer = await jetstream(nc).consumers.get(stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq });
    const chain = new MessageChain();
    let delivered = 0;
    if (count === 0) return null;
    const messages = await consumer.consume();
    for await (const m of messages) {
      const event = m.json<RecordedEvent>();
      if (event.position < from) continue;
      chain.accept(event, { position: m.headers?.get(POSITION_HEADER), hash: m.headers?.get(HASH_HEADER), prevHash: m.headers?.get(PREV_HASH_HEADER) });
      onEvent(event, m.subject);
      if (count !== undefined && ++delivered >= count) break;
    }
    return chain.head;
  } finally {
    await nc.close();
  }
}

/** The stream sequence to start at: position N sits at sequence N in a stream the publisher filled from the start. */
async function startSequence(jsm: Awaited<ReturnType<typeof jetstreamManager>>, stream: string, from: number): Promise<number> {
  if (from <= 1) return 1;
  const message = await jsm.streams.getMessage(stream, { seq: from }).catch(() => null);
  return message && Number(message.header.get(POSITION_HEADER)) === from ? from : 1;
}
