// Listens for tenant changes made by any shard (pg_notify on 'tessera_tenants') and drops
// the changed tenant from this shard's caches. If the connection drops, notifications may
// have been missed, so on reconnect every cached tenant is dropped.
import pg from 'pg';
import type { Logger } from 'pino';

export interface ChangeListener {
  close(): Promise<void>;
}

export function listenForTenantChanges(options: {
  connectionString: string;
  log: Logger;
  /** Receives the raw notification payload (see parseTenantChange). */
  onChange: (payload: string) => void;
  onResync: () => void;
}): ChangeListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let attempt = 0;

  const scheduleReconnect = (): void => {
    if (closed || retryTimer) return;
    const delay = Math.min(250 * 2 ** attempt, 10_000);
    attempt++;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
    retryTimer.unref();
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: options.connectionString, application_name: 'tessera-listener' });
    c.on('error', (error) => {
      options.log.warn({ code: (error as { code?: string }).code, error: error.message }, 'tenant change listener lost its connection');
    });
    c.on('end', () => {
      if (client === c) client = undefined;
      scheduleReconnect();
    });
    c.on('notification', (message) => {
      if (message.channel === 'tessera_tenants' && message.payload) options.onChange(message.payload);
    });
    try {
      await c.connect();
      await c.query('LISTEN tessera_tenants');
      if (closed) {
        await c.end();
        return;
      }
      // Anything may have changed while we were not listening.
      if (attempt > 0) options.onResync();
      attempt = 0;
      client = c;
    } catch (error) {
      options.log.debug({ err: error }, 'tenant change listener could not connect');
      c.removeAllListeners('end');
      await c.end().catch(() => {});
      scheduleReconnect();
    }
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners('end');
        await c.end().catch(() => {});
      }
    },
  };
}
