/**
 * Every setting comes from the environment and has a default that needs no editing. The environment is described by
 * one zod schema: `variables` says which variables are read and what each holds, and `configSchema` turns them into
 * the `Config` every process uses (its type is inferred from it). docs/configuration.md lists every variable, and
 * test/unit/config-docs.test.ts checks that list against CONFIG_VARIABLES. Read once per process.
 */
import path from 'node:path';
import { z } from 'zod';
import { WAITING_STAGES, type WaitingStage } from '../domain/order-status';
import { LANGUAGES } from '../domain/order-input';
import { DEFAULT_TIERS } from '../domain/loyalty';
import { RETURN_DISCOUNT_POLICIES } from '../domain/paid-prices';
import { DEFAULT_REPAIR_SLAS, REPAIR_STAGES, type RepairStage } from '../domain/repairs';
import { parsePayloadKeys } from './payload-keys';
import type { TemporalTlsSetting } from './temporal-tls';
import { ROOT_DIR } from './root';
import {
  duration,
  oneOf,
  optionalHttpUrl,
  optionalListenAddress,
  optionalText,
  optionalWholeNumber,
  niceness,
  positiveDuration,
  positiveWholeNumber,
  rateLimit,
  strongSecret,
  text,
  tierList,
  timeZone,
  trustProxy,
  wholeNumber,
} from './config-fields';

export type { RateLimitSetting } from './config-fields';

/** The folder holding package.json, from source and from dist/ alike (lib/root.ts). */
export { ROOT_DIR };

/** Default SLA per waiting stage; each can be overridden with OMS_SLA_<STAGE>. */
const DEFAULT_SLAS: Record<WaitingStage, string> = {
  REVIEW: '4h',
  BACKORDER: '3d',
  PICKING: '1d',
  PICKUP: '7d',
  DELIVERY: '5d',
  RETURN: '3d',
};

const slaVariables = Object.fromEntries(
  WAITING_STAGES.map((stage) => [`OMS_SLA_${stage}`, duration(DEFAULT_SLAS[stage])]),
) as { [Stage in WaitingStage as `OMS_SLA_${Stage}`]: ReturnType<typeof duration> };

const repairSlaVariables = Object.fromEntries(
  REPAIR_STAGES.map((stage) => [`OMS_REPAIR_SLA_${stage}`, positiveDuration(DEFAULT_REPAIR_SLAS[stage])]),
) as { [Stage in RepairStage as `OMS_REPAIR_SLA_${Stage}`]: ReturnType<typeof positiveDuration> };

/**
 * Every variable the configuration reads, with its kind and default. Defaults built from other variables (such as
 * DATABASE_URL's, in the data folder) are filled in by `configSchema` below.
 */
const variables = z.object({
  PORT: text('3000'),
  HOST: text('127.0.0.1'),
  OMS_DATA_DIR: text('data'),
  OMS_CONSOLE_DIR: text('console/dist'),
  DATABASE_URL: optionalText(),
  TEMPORAL_ADDRESS: optionalText(),
  TEMPORAL_PORT: text('7233'),
  TEMPORAL_UI_PORT: text('8233'),
  OMS_TEMPORAL_UI_URL: optionalText(),
  TEMPORAL_NAMESPACE: text('default'),
  TEMPORAL_TASK_QUEUE: text('shop-oms'),
  TEMPORAL_TLS_CA: optionalText(),
  TEMPORAL_TLS_CERT: optionalText(),
  TEMPORAL_TLS_KEY: optionalText(),
  TEMPORAL_TLS_SERVER_NAME: optionalText(),
  SMTP_URL: optionalText(),
  MAILDEV_SMTP_PORT: text('1025'),
  MAILDEV_WEB_PORT: text('1080'),
  MAIL_FROM: text('Shop OMS <orders@shop-oms.local>'),
  MANAGER_EMAIL: text('manager@shop-oms.local'),
  OMS_BOOTSTRAP_ADMIN_KEY: strongSecret(),
  OMS_AFTER_SALES_WINDOW: duration('7d'),
  ...slaVariables,
  OMS_REPAIR_WARRANTY: duration('365d'),
  ...repairSlaVariables,
  CARRIER_LOCAL_URL: optionalText(),
  LOCAL_CARRIER_PORT: text('4010'),
  CARRIER_WEBHOOK_SECRET: optionalText(),
  OMS_EXPRESS_FROM_MINOR: wholeNumber(200_000),
  OMS_INTAKE_RATE_LIMIT: rateLimit('3000/1m'),
  OMS_CSV_MAX_ROWS: wholeNumber(50_000),
  OMS_CSV_MAX_MB: wholeNumber(10),
  OMS_AUTH_FAILURE_LIMIT: rateLimit('100/15m'),
  OMS_LOOKUP_RATE_LIMIT: rateLimit('600/1m'),
  OMS_COUNT_LOWER_LIMIT: wholeNumber(2),
  OMS_KEY_CACHE_TTL: duration('60s'),
  OMS_REDIS_URL: optionalText(),
  OMS_REDIS_PREFIX: text('shop-oms'),
  OMS_SESSION_IDLE: positiveDuration('8h'),
  OMS_SESSION_MAX: positiveDuration('12h'),
  OMS_TRUST_PROXY: trustProxy(),
  OMS_LANGUAGE: oneOf(LANGUAGES, 'en'),
  OMS_WORKER_MAX_CACHED_WORKFLOWS: optionalWholeNumber(),
  OMS_WORKER_WORKFLOW_TASKS: optionalWholeNumber(),
  OMS_WORKER_ACTIVITY_TASKS: optionalWholeNumber(),
  OMS_WORKER_NICE: niceness(0),
  OMS_WORKER_METRICS_ADDRESS: optionalListenAddress(),
  OMS_LOG_FORMAT: oneOf(['text', 'json'] as const, 'text'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalHttpUrl(),
  OTEL_EXPORTER_OTLP_PROTOCOL: oneOf(['http/protobuf', 'http/json'] as const, 'http/protobuf'),
  OMS_PUBLIC_URL: optionalText(),
  OMS_PAYLOAD_KEYS: optionalText(),
  OMS_PAYLOAD_KEY_ID: optionalText(),
  OMS_TEMPORAL_PLAIN_PAYLOADS: oneOf(['refuse', 'accept'] as const, 'refuse'),
  OMS_CODEC_CORS_ORIGINS: optionalText(),
  OMS_LOYALTY_TIERS: tierList(DEFAULT_TIERS),
  OMS_TIER_WINDOW: positiveDuration('365d'),
  OMS_POINTS_LIFETIME: positiveDuration('365d'),
  OMS_POINT_VALUE_MINOR: positiveWholeNumber(1),
  OMS_SHOP_NAME: text('Shop OMS'),
  OMS_SHOP_LOGO_URL: optionalHttpUrl(),
  OMS_SHOP_CONTACT: optionalText(),
  OMS_TRACKING_RATE_LIMIT: rateLimit('60/1m'),
  OMS_TIME_ZONE: timeZone('Asia/Shanghai'),
  OMS_BIRTHDAY_PROMOTION: text('BIRTHDAY'),
  OMS_RETURN_DISCOUNT_POLICY: oneOf(RETURN_DISCOUNT_POLICIES, 'DEDUCT'),
});

/** The names of the environment variables the configuration reads. */
export const CONFIG_VARIABLES = Object.keys(variables.shape) as (keyof typeof variables.shape)[];

/** OMS_PAYLOAD_KEYS and OMS_PAYLOAD_KEY_ID; parsePayloadKeys's messages name the variable and never quote a key. */
function payloadKeysFrom(keys: string | undefined, keyId: string | undefined, ctx: z.RefinementCtx) {
  const refuse = (message: string) => {
    ctx.issues.push({ code: 'custom', message, input: undefined });
    return z.NEVER;
  };
  if (keys) {
    try {
      return parsePayloadKeys(keys, keyId);
    } catch (err) {
      return refuse((err as Error).message);
    }
  }
  if (keyId) return refuse('OMS_PAYLOAD_KEY_ID is set but OMS_PAYLOAD_KEYS is not');
  return undefined;
}

/**
 * Secrets this project once shipped as defaults (lib/config.ts, docker-compose.yml): anyone who has read them could
 * sign carrier events, so they are refused however the system is started.
 */
export const PUBLISHED_WEBHOOK_SECRETS = ['local-carrier-dev-secret', 'change-me'];
const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** CARRIER_WEBHOOK_SECRET, unless it is a published default or too short to resist guessing; never quoted back. */
function webhookSecretFrom(secret: string | undefined, ctx: z.RefinementCtx): string | undefined {
  const refuse = (message: string) => {
    ctx.issues.push({ code: 'custom', message, input: undefined, path: ['CARRIER_WEBHOOK_SECRET'] });
    return z.NEVER;
  };
  if (secret === undefined) return undefined;
  if (PUBLISHED_WEBHOOK_SECRETS.includes(secret))
    return refuse(
      'is a published default: set a random secret, e.g. `openssl rand -hex 32`, or unset it for npm start',
    );
  if (secret.length < MIN_WEBHOOK_SECRET_LENGTH)
    return refuse(`must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters, e.g. \`openssl rand -hex 32\``);
  return secret;
}

/** The webhook secret, for the processes that cannot work without one (the API, the local carrier). */
export function requireCarrierWebhookSecret(config: Pick<Config, 'carrierWebhookSecret'>): string {
  if (config.carrierWebhookSecret) return config.carrierWebhookSecret;
  throw new Error(
    'CARRIER_WEBHOOK_SECRET is not set: npm start generates one into the data folder; elsewhere set a random one, e.g. `openssl rand -hex 32`, the same for the API and the carrier',
  );
}

type TlsVariables = Partial<
  Record<'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_SERVER_NAME', string>
>;

/** TLS is on when any TEMPORAL_TLS_* is set; a client certificate needs its key and the other way round. */
function temporalTlsFrom(env: TlsVariables, ctx: z.RefinementCtx): TemporalTlsSetting | undefined {
  const setting = {
    caFile: env.TEMPORAL_TLS_CA,
    certFile: env.TEMPORAL_TLS_CERT,
    keyFile: env.TEMPORAL_TLS_KEY,
    serverName: env.TEMPORAL_TLS_SERVER_NAME,
  };
  if (Object.values(setting).every((value) => value === undefined)) return undefined;
  if ((setting.certFile === undefined) !== (setting.keyFile === undefined)) {
    ctx.issues.push({
      code: 'custom',
      path: [setting.certFile === undefined ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY'],
      message: 'a client certificate (TEMPORAL_TLS_CERT) and its key (TEMPORAL_TLS_KEY) go together',
      input: undefined,
    });
    return z.NEVER;
  }
  return setting;
}

const configSchema = variables.transform((env, ctx) => {
  const port = Number(env.PORT);
  const dataDir = path.resolve(ROOT_DIR, env.OMS_DATA_DIR);
  const slaMs = Object.fromEntries(WAITING_STAGES.map((stage) => [stage, env[`OMS_SLA_${stage}`]])) as Record<
    WaitingStage,
    number
  >;
  return {
    port,
    /** The address the API listens on (HOST): loopback only unless set, e.g. `0.0.0.0` in a container. */
    host: env.HOST,
    dataDir,
    /** The staff console's built files (Vite's output), served at `/`. */
    consoleDir: path.resolve(ROOT_DIR, env.OMS_CONSOLE_DIR),
    databaseUrl: env.DATABASE_URL ?? `file:${path.join(dataDir, 'oms.db')}`,
    temporalAddress: env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`,
    /** True when TEMPORAL_ADDRESS is unset and `npm start` runs the embedded dev server. */
    temporalEmbedded: env.TEMPORAL_ADDRESS === undefined,
    /** Web UI port of the embedded dev server. */
    temporalUiPort: Number(env.TEMPORAL_UI_PORT),
    /** Where managers open the Temporal Web UI from the console; the embedded server's own unless set; else none. */
    temporalUiUrl:
      env.OMS_TEMPORAL_UI_URL ??
      (env.TEMPORAL_ADDRESS === undefined ? `http://127.0.0.1:${env.TEMPORAL_UI_PORT}` : undefined),
    temporalNamespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    /** TLS to Temporal (lib/temporal-tls.ts): set for a cluster; the embedded dev server listens on 127.0.0.1 only. */
    temporalTls: temporalTlsFrom(env, ctx),
    smtpUrl: env.SMTP_URL ?? `smtp://127.0.0.1:${env.MAILDEV_SMTP_PORT}`,
    /** True when SMTP_URL is unset and `npm start` runs the embedded MailDev. */
    mailEmbedded: env.SMTP_URL === undefined,
    /** Web UI and JSON API port of the embedded MailDev. */
    mailWebPort: Number(env.MAILDEV_WEB_PORT),
    mailFrom: env.MAIL_FROM,
    managerEmail: env.MANAGER_EMAIL,
    bootstrapAdminKey: env.OMS_BOOTSTRAP_ADMIN_KEY,
    afterSalesWindowMs: env.OMS_AFTER_SALES_WINDOW,
    /** How long a unit's warranty runs from its sale (OMS_REPAIR_WARRANTY). */
    repairWarrantyMs: env.OMS_REPAIR_WARRANTY,
    /** How long a repair ticket may wait in each stage before a manager is warned (OMS_REPAIR_SLA_<STAGE>). */
    repairSlaMs: Object.fromEntries(REPAIR_STAGES.map((stage) => [stage, env[`OMS_REPAIR_SLA_${stage}`]])) as Record<
      RepairStage,
      number
    >,
    slaMs,
    localCarrierUrl: env.CARRIER_LOCAL_URL ?? `http://127.0.0.1:${env.LOCAL_CARRIER_PORT}`,
    /**
     * The carrier webhooks' HMAC secret (CARRIER_WEBHOOK_SECRET). Unset: `npm start` generates one into the data
     * folder; the API and the local carrier refuse to start without one. A published default is refused outright.
     */
    carrierWebhookSecret: webhookSecretFrom(env.CARRIER_WEBHOOK_SECRET, ctx),
    /** Orders worth at least this much (minor units) ship express; urgent orders always do. */
    expressFromMinor: env.OMS_EXPRESS_FROM_MINOR,
    /** POST /api/orders per API key (OMS_INTAKE_RATE_LIMIT). */
    intakeRateLimit: env.OMS_INTAKE_RATE_LIMIT,
    /** CSV imports (OMS_CSV_MAX_ROWS, OMS_CSV_MAX_MB): a file with more rows, or a larger body, is refused (413). */
    csvImport: { maxRows: env.OMS_CSV_MAX_ROWS, maxBody: `${env.OMS_CSV_MAX_MB}mb` },
    /** Failed authentications per client address; past it the address is refused until the window ends. */
    authFailureLimit: env.OMS_AUTH_FAILURE_LIMIT,
    /** GETs of orders, returns and customers per API key (OMS_LOOKUP_RATE_LIMIT); admins are not limited. */
    lookupRateLimit: env.OMS_LOOKUP_RATE_LIMIT,
    /**
     * Units a stock count by anyone but a manager may lower one SKU at one location within 24 hours
     * (OMS_COUNT_LOWER_LIMIT); past it the count is refused (403) and a manager records it or writes the stock off.
     */
    countLowerLimit: env.OMS_COUNT_LOWER_LIMIT,
    /** How long a verified API key is remembered; another process's revocation takes up to this long to apply. */
    keyCacheTtlMs: env.OMS_KEY_CACHE_TTL,
    /**
     * Where several API processes keep the intake and lookup rate limits' counts together (OMS_REDIS_URL), their keys
     * under OMS_REDIS_PREFIX. Unset: each process counts in its own memory (one API process: the same thing).
     */
    redis: env.OMS_REDIS_URL ? { url: env.OMS_REDIS_URL, prefix: env.OMS_REDIS_PREFIX } : undefined,
    /**
     * Sign-in sessions (POST /api/session): one ends after `idleMs` without use (OMS_SESSION_IDLE) and at the latest
     * `maxMs` after sign-in (OMS_SESSION_MAX), whichever comes first.
     */
    session: { idleMs: env.OMS_SESSION_IDLE, maxMs: env.OMS_SESSION_MAX },
    /** Express's `trust proxy` (OMS_TRUST_PROXY): the proxies in front of the API, so each client's address is right. */
    trustProxy: env.OMS_TRUST_PROXY,
    /** The shop's language for customer emails when an order names none. */
    language: env.OMS_LANGUAGE,
    /** Worker tuning (unset: the Temporal SDK's defaults). See docs/benchmarks.md for measured effects. */
    worker: {
      maxCachedWorkflows: env.OMS_WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: env.OMS_WORKER_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: env.OMS_WORKER_ACTIVITY_TASKS,
    },
    /**
     * The worker process's priority (OMS_WORKER_NICE, 0 to 19): on a box it shares with the API and the Temporal
     * server, a nicer worker leaves the CPU to the till's requests first; its orders wait in Temporal meanwhile.
     */
    workerNice: env.OMS_WORKER_NICE,
    /** Where the worker serves the Temporal SDK's Prometheus metrics (OMS_WORKER_METRICS_ADDRESS); none unless set. */
    workerMetricsAddress: env.OMS_WORKER_METRICS_ADDRESS,
    /** How the API and the worker write their log lines (OMS_LOG_FORMAT, lib/log.ts): `text` for people, or `json`. */
    logFormat: env.OMS_LOG_FORMAT,
    /**
     * Traces of the API, workflows and activities to an OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT, lib/tracing.ts):
     * none unless it is set. The exporter reads the endpoint, and the other OTEL_* settings, from the environment.
     */
    tracing: env.OTEL_EXPORTER_OTLP_ENDPOINT ? { protocol: env.OTEL_EXPORTER_OTLP_PROTOCOL } : undefined,
    publicUrl: env.OMS_PUBLIC_URL ?? `http://127.0.0.1:${port}`,
    /**
     * Keys of the Temporal payload codec (OMS_PAYLOAD_KEYS, OMS_PAYLOAD_KEY_ID). Unset: `npm start` generates one into
     * the data folder; the worker and the API refuse to start without keys.
     */
    payloadKeys: payloadKeysFrom(env.OMS_PAYLOAD_KEYS, env.OMS_PAYLOAD_KEY_ID, ctx),
    /**
     * What the worker makes of a payload that is not encrypted (OMS_TEMPORAL_PLAIN_PAYLOADS): `refuse` (the workflow
     * sees it as unsealed and ignores it, workflows/sealed.ts), or `accept` for workflows started before encryption.
     */
    workerPlainPayloads: env.OMS_TEMPORAL_PLAIN_PAYLOADS,
    /**
     * Membership tiers and points (domain/loyalty.ts): the tiers (OMS_LOYALTY_TIERS), how far back spend counts for
     * them (OMS_TIER_WINDOW), how long points stay (OMS_POINTS_LIFETIME) and what a point is worth in fen
     * (OMS_POINT_VALUE_MINOR).
     */
    /** The shop's name, as customers see it on their tracking page (OMS_SHOP_NAME). */
    shopName: env.OMS_SHOP_NAME,
    /** The logo at the top of customer emails (OMS_SHOP_LOGO_URL, an http(s) URL the customer's mail app can load). */
    shopLogoUrl: env.OMS_SHOP_LOGO_URL,
    /** How customers reach the shop, at the foot of every email (OMS_SHOP_CONTACT: a phone, an email, a website). */
    shopContact: env.OMS_SHOP_CONTACT,
    /** Requests to the customers' tracking pages per client address (OMS_TRACKING_RATE_LIMIT). */
    trackingRateLimit: env.OMS_TRACKING_RATE_LIMIT,
    /** The shop's time zone, for promotions that run on some days or hours (OMS_TIME_ZONE). */
    timeZone: env.OMS_TIME_ZONE,
    /**
     * What a return that takes an order below a 满减 or 满赠 threshold refunds (OMS_RETURN_DISCOUNT_POLICY,
     * domain/paid-prices.ts): KEEP the discount, or DEDUCT what the rest no longer earns from the refund.
     */
    returnDiscountPolicy: env.OMS_RETURN_DISCOUNT_POLICY,
    /** The coupon promotion whose codes go to customers in their birthday week (OMS_BIRTHDAY_PROMOTION). */
    birthdayPromotion: env.OMS_BIRTHDAY_PROMOTION,
    loyalty: {
      tiers: env.OMS_LOYALTY_TIERS,
      tierWindowMs: env.OMS_TIER_WINDOW,
      pointsLifetimeMs: env.OMS_POINTS_LIFETIME,
      pointValueMinor: env.OMS_POINT_VALUE_MINOR,
    },
    /** Browser origins (the Temporal Web UI) allowed to call the codec endpoint `/api/codec`. */
    codecCorsOrigins: (
      env.OMS_CODEC_CORS_ORIGINS ??
      ['127.0.0.1', 'localhost'].map((host) => `http://${host}:${env.TEMPORAL_UI_PORT}`).join(',')
    )
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
});

export type Config = z.output<typeof configSchema>;

/**
 * Reads the configuration from `source` (the process environment unless given). A bad value throws an Error naming
 * each variable at fault, e.g. `OMS_LANGUAGE: expected one of en, zh-CN, got "fr"`.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new Error(problems.join('\n'));
}
