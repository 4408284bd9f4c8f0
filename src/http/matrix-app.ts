// The public listener: client, federation, key and discovery APIs for every tenant of the
// shard, told apart by Host.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { TenantManager } from '../tenancy/tenant-manager.ts';
import { mergeAccountSettings, type AccountSettings } from '../config/account-settings.ts';
import { DEFAULT_RATE_LIMITS, mergeRateLimits, type RateLimitSettings } from '../config/rate-limits.ts';
import { installErrorHandlers } from './error-handler.ts';
import { acceptJsonBodies } from './json-body.ts';
import { lazyChildLogger } from './lazy-request-logger.ts';
import type { ShardMetrics } from './metrics.ts';
import { authenticateClients } from './plugins/client-auth.ts';
import { allowCors } from './plugins/cors.ts';
import { limitRequestRates } from './plugins/rate-limit.ts';
import { resolveTenants } from './plugins/tenant.ts';
import { recordRequestMetrics } from './request-metrics.ts';
import { accountRoutes } from './routes/client/account.ts';
import { accountDataRoutes } from './routes/client/account-data.ts';
import { capabilitiesRoutes } from './routes/client/capabilities.ts';
import { presenceRoutes } from './routes/client/presence.ts';
import { profileRoutes } from './routes/client/profile.ts';
import { receiptRoutes } from './routes/client/receipts.ts';
import { typingRoutes } from './routes/client/typing.ts';
import { userDirectoryRoutes } from './routes/client/user-directory.ts';
import { deviceRoutes } from './routes/client/devices.ts';
import { keyRoutes } from './routes/client/keys.ts';
import { keyBackupRoutes } from './routes/client/key-backup.ts';
import { loginRoutes } from './routes/client/login.ts';
import { notificationRoutes } from './routes/client/notifications.ts';
import { pushRuleRoutes } from './routes/client/push-rules.ts';
import { pusherRoutes } from './routes/client/pushers.ts';
import { registerRoutes } from './routes/client/register.ts';
import { createRoomRoutes } from './routes/client/rooms/create-room.ts';
import { directoryRoutes } from './routes/client/rooms/directory.ts';
import { publicRoomRoutes } from './routes/client/rooms/public-rooms.ts';
import { relationRoutes } from './routes/client/rooms/relations.ts';
import { roomEventRoutes } from './routes/client/rooms/events.ts';
import { memberRoutes } from './routes/client/rooms/members.ts';
import { membershipRoutes } from './routes/client/rooms/membership.ts';
import { sendRoutes } from './routes/client/rooms/send.ts';
import { stateRoutes } from './routes/client/rooms/state.ts';
import { syncRoutes } from './routes/client/sync.ts';
import { sendToDeviceRoutes } from './routes/client/send-to-device.ts';
import { versionsRoutes } from './routes/client/versions.ts';
import { federationVersionRoutes } from './routes/federation/version.ts';
import { healthRoutes } from './routes/health.ts';
import { serverKeyRoutes } from './routes/key/server-keys.ts';
import { sharedSecretRegistrationRoutes } from './routes/synapse/admin-register.ts';
import { wellKnownRoutes } from './routes/well-known/well-known.ts';

export interface MatrixAppDeps {
  log: Logger;
  tenants: TenantManager;
  pool: pg.Pool;
  metrics: ShardMetrics;
  keyValidityMs: number;
  bodyLimitBytes: number;
  https?: { cert: Buffer; key: Buffer };
  /** Overrides of the account and authentication settings (tests, operators). */
  accountSettings?: Partial<AccountSettings>;
  /** Overrides of the rate limits, class by class. */
  rateLimits?: Partial<RateLimitSettings>;
}

export function buildMatrixApp(deps: MatrixAppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: deps.bodyLimitBytes,
    // Ingress terminates TLS and forwards; the Host header carries the tenant.
    trustProxy: true,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    return503OnClosing: true,
    // Path parameters carry user IDs, state keys and aliases of up to 255 bytes, percent-encoded.
    routerOptions: { maxParamLength: 2048 },
    ...(deps.https ? { https: deps.https } : {}),
  }) as unknown as FastifyInstance;
  acceptJsonBodies(app);
  installErrorHandlers(app);
  recordRequestMetrics(app, deps.metrics);
  allowCors(app);
  resolveTenants(app, deps.tenants);
  const accountSettings = mergeAccountSettings(deps.accountSettings);
  authenticateClients(app, accountSettings);
  limitRequestRates(app, mergeRateLimits(DEFAULT_RATE_LIMITS, deps.rateLimits));
  healthRoutes(app, { pool: deps.pool });
  versionsRoutes(app);
  wellKnownRoutes(app);
  federationVersionRoutes(app);
  serverKeyRoutes(app, { keyValidityMs: deps.keyValidityMs });
  registerRoutes(app, accountSettings);
  loginRoutes(app, accountSettings);
  accountRoutes(app, accountSettings);
  deviceRoutes(app, accountSettings);
  // End-to-end encryption keys (device, one-time, fallback and cross-signing keys).
  keyRoutes(app, accountSettings);
  sharedSecretRegistrationRoutes(app, accountSettings);
  createRoomRoutes(app);
  sendRoutes(app);
  stateRoutes(app);
  roomEventRoutes(app);
  memberRoutes(app);
  membershipRoutes(app);
  directoryRoutes(app);
  publicRoomRoutes(app);
  relationRoutes(app);
  syncRoutes(app);
  sendToDeviceRoutes(app);
  pushRuleRoutes(app);
  notificationRoutes(app);
  pusherRoutes(app);
  // User data: profiles, account data and tags, capabilities, presence, the user
  // directory, typing, receipts and read markers.
  profileRoutes(app);
  accountDataRoutes(app);
  capabilitiesRoutes(app);
  presenceRoutes(app);
  userDirectoryRoutes(app);
  typingRoutes(app);
  receiptRoutes(app);
  // End-to-end encryption: server-side key backups.
  keyBackupRoutes(app);
  return app;
}
