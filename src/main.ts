// Entry point: `npm start`. Reads the environment, starts a shard, stops it on SIGTERM/SIGINT.
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config/config.ts';
import { startShard } from './shard.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`tessera: configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const log = pino({ level: config.logLevel, base: { shard: config.shardName } });
  let shard;
  try {
    shard = await startShard(config, { log });
  } catch (error) {
    log.fatal({ err: error }, error instanceof Error ? error.message : 'start failed');
    console.error(`tessera: cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    shard
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
