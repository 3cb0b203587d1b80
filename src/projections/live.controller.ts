import { type BeforeApplicationShutdown, Controller, Headers, type MessageEvent, Sse } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { ReadAccess } from '../auth/access.decorator';
import { EventStore } from '../event-store/event-store.service';
import { isDatabaseUnavailable, outageLog } from '../shared/database-unavailable';

const BATCH = 500;
const POLL_MS = 1000;

/**
 * GET /api/live: server-sent events, one per new log position with its type and stream, so a
 * dashboard knows when to refresh; a new feed opens with a `head` event naming the position it
 * starts after. `Last-Event-ID` resumes after a position.
 */
@ApiTags('dashboards')
@Controller('api/live')
export class LiveController implements BeforeApplicationShutdown {
  private readonly open = new Set<() => void>();

  constructor(private readonly store: EventStore) {}

  @Sse()
  @ReadAccess()
  @ApiOperation({
    operationId: 'followLog',
    summary: 'Server-sent events announcing each new position and its type',
    description:
      'A new feed opens with `event: head` (`data: {"position": N}`, the position it starts after), then sends one `event: appended` per new log position (`id: N`, `data: {"position", "type", "streamId"}`). Reconnect with `Last-Event-ID: N` to resume after position N. Browsers\' EventSource sends no Authorization header: with PUBLIC_READS=false, read it with fetch.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this log position', schema: { type: 'string', pattern: '^\\d{1,15}$' } })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An endless stream of server-sent events', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  live(@Headers('last-event-id') lastEventId: string | undefined): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let closed = false;
      let wake = () => {};
      const unsubscribe = this.store.onAppended(() => wake());
      const close = () => {
        closed = true;
        unsubscribe();
        wake();
        subscriber.complete();
      };
      this.open.add(close);
      const pause = () =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      // An open feed outlives a database outage: it waits and reads on from where it was.
      const retrying = async <T>(read: () => Promise<T>): Promise<T | null> => {
        for (;;) {
          try {
            return await read();
          } catch (error) {
            if (!isDatabaseUnavailable(error)) throw error;
            outageLog.report(error, 'GET /api/live');
            await pause();
            if (closed) return null;
          }
        }
      };
      void (async () => {
        const resumed = /^\d{1,15}$/.test(lastEventId ?? '');
        const start = resumed ? Number(lastEventId) : await retrying(() => this.store.headPosition());
        if (start === null) return;
        let after = start;
        // Where a new feed starts: a client that read before connecting knows whether it missed a write.
        if (!resumed) subscriber.next({ id: String(after), type: 'head', data: { position: after } });
        while (!closed) {
          const events = (await retrying(() => this.store.readAll({ after, limit: BATCH }))) ?? [];
          for (const e of events) {
            subscriber.next({ id: String(e.position), type: 'appended', data: { position: e.position, type: e.type, streamId: e.streamId } });
            after = e.position;
          }
          if (events.length < BATCH && !closed) await pause();
        }
      })().catch((error: unknown) => subscriber.error(error));
      return () => {
        this.open.delete(close);
        closed = true;
        unsubscribe();
        wake();
      };
    });
  }

  beforeApplicationShutdown(): void {
    for (const close of [...this.open]) close();
  }
}
