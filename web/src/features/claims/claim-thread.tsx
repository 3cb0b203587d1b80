import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { showInstant } from '../../lib/local-time';
import { type Claim, claimQueries, type ThreadItem } from './queries';
import { claimSentence, type PartyNames } from './words';

interface Node {
  item: ThreadItem;
  children: Node[];
}

/** The thread as a tree: the first claim, and each claim's responses beneath it, oldest first. */
export function threadTree(items: ThreadItem[], rootId: string): Node | null {
  const nodes = new Map(items.map((item) => [item.id, { item, children: [] as Node[] }]));
  for (const node of nodes.values()) if (node.item.id !== rootId && node.item.respondsTo) nodes.get(node.item.respondsTo)?.children.push(node);
  return nodes.get(rootId) ?? null;
}

export function ClaimThread({ claim, parties, zone }: { claim: Claim; parties: PartyNames; zone: string }) {
  const thread = useQuery(claimQueries.thread(claim.id));
  if (thread.isPending) return <p className="loading">Loading the thread…</p>;
  if (thread.isError) return <p className="error-text">The thread could not be loaded: {thread.error.message}</p>;
  const root = threadTree(thread.data.items, thread.data.rootId);
  if (!root || (root.children.length === 0 && root.item.id === claim.id)) return <p className="empty">No responses yet, and it answers no other claim.</p>;
  return (
    <ul className="thread" aria-label="Claims in this thread">
      <ThreadNode node={root} currentId={claim.id} parties={parties} zone={zone} />
    </ul>
  );
}

function ThreadNode({ node, currentId, parties, zone }: { node: Node; currentId: string; parties: PartyNames; zone: string }) {
  const { item } = node;
  const current = item.id === currentId;
  return (
    <li>
      <div className={current ? 'thread-item current' : 'thread-item'}>
        {item.stance ? <span className="tag stance">{item.stance}</span> : null}{' '}
        {current ? (
          <strong aria-current="page">{item.summary}</strong>
        ) : (
          <Link to={`/claims/${item.id}`}>{item.summary}</Link>
        )}
        <span className="meta">
          {' '}
          — {claimSentence(item, parties)} · said {showInstant(item.statedAt, zone)}
          {item.voided ? ' · voided' : ''}
          {item.duplicateOf ? ' · duplicate' : ''}
          {item.retracted ? ' · retracted' : ''}
        </span>
      </div>
      {node.children.length ? (
        <ul>
          {node.children.map((child) => (
            <ThreadNode key={child.item.id} node={child} currentId={currentId} parties={parties} zone={zone} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
