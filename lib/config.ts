/**
 * Every setting comes from the environment and has a default that needs no editing
 * (see the configuration table in README.md). Read once per process.
 */
import path from 'node:path';
import { parseDuration } from './duration';
import { WAITING_STAGES, type WaitingStage } from '../domain/order-status';
import { LANGUAGES } from '../domain/order-input';
import { parsePayloadKeys, type PayloadKeys } from './payload-keys';

export const ROOT_DIR = path.resolve(__dirname, '..');

type Env = Record<string, string | undefined>;

function durationFrom(env: Env, name: string, fallback: string): number {
  const raw = env[name];
  try {
    return parseDuration(raw === undefined || raw === '' ? fallback : raw);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
}

/** `<count>/<duration>`, e.g. `3000/1m`: at most that many in each window of that length. */
export interface RateLimitSetting {
  limit: number;
  windowMs: number;
}

function rateLimitFrom(env: Env, name: string, fallback: string): RateLimitSetting {
  const raw = env[name] === undefined || env[name] === '' ? fallback : env[name]!;
  const [count, window] = raw.split('/');
  const limit = Number(count);
  if (!Number.isInteger(limit) || limit < 1 || window === undefined) {
    throw new Error(`${name}: expected <count>/<duration> such as 3000/1m, got "${raw}"`);
  }
  const windowMs = durationFrom({ [name]: window }, name, window);
  if (windowMs < 1) throw new Error(`${name}: the window must be longer than 0, got "${raw}"`);
  return { limit, windowMs };
}

function trustProxyFrom(env: Env): number | string | undefined {
  const raw = env.OMS_TRUST_PROXY?.trim();
  if (!raw) return undefined;
  // `true` would trust any X-Forwarded-For, letting every client pick its own address (and rate-limit bucket).
  if (raw === 'true') throw new Error('OMS_TRUST_PROXY: name the proxies (a count such as 1, or their addresses)');
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

function languageFrom(env: Env): Config['language'] {
  const raw = env.OMS_LANGUAGE || 'en';
  const language = LANGUAGES.find((l) => l === raw);
  if (!language) throw new Error(`OMS_LANGUAGE: expected one of ${LANGUAGES.join(', ')}, got "${raw}"`);
  return language;
}

function optionalInteger(env: Env, name: string): number | undefined {
  return env[name] === undefined || env[name] === '' ? undefined : integerFrom(env, name, 0);
}

function integerFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}: expected a whole number, got "${raw}"`);
  return value;
}

function payloadKeysFrom(env: Env): PayloadKeys | undefined {
  if (env.OMS_PAYLOAD_KEYS) return parsePayloadKeys(env.OMS_PAYLOAD_KEYS, env.OMS_PAYLOAD_KEY_ID);
  if (env.OMS_PAYLOAD_KEY_ID) throw new Error('OMS_PAYLOAD_KEY_ID is set but OMS_PAYLOAD_KEYS is not');
  return undefined;
}

/** Default SLA per waiting stage; each can be overridden with OMS_SLA_<STAGE>. */
const DEFAULT_SLAS: Record<WaitingStage, string> = {
  REVIEW: '4h',
  BACKORDER: '3d',
  PICKING: '1d',
  PICKUP: '7d',
  DELIVERY: '5d',
  RETURN: '3d',
};

export interface Config {
  port: number;
  dataDir: string;
  databaseUrl: string;
  temporalAddress: string;
  /** True when TEMPORAL_ADDRESS is unset and `npm start` runs the embedded dev server. */
  temporalEmbedded: boolean;
  /** Web UI port of the embedded dev server. */
  temporalUiPort: number;
  temporalNamespace: string;
  taskQueue: string;
  smtpUrl: string;
  /** True when SMTP_URL is unset and `npm start` runs the embedded MailDev. */
  mailEmbedded: boolean;
  /** Web UI and JSON API port of the embedded MailDev. */
  mailWebPort: number;
  mailFrom: string;
  managerEmail: string;
  bootstrapAdminKey: string | undefined;
  afterSalesWindowMs: number;
  slaMs: Record<WaitingStage, number>;
  localCarrierUrl: string;
  carrierWebhookSecret: string;
  /** Orders worth at least this much (minor units) ship express; urgent orders always do. */
  expressFromMinor: number;
  /** POST /api/orders per API key (OMS_INTAKE_RATE_LIMIT). */
  intakeRateLimit: RateLimitSetting;
  /** Failed authentications per client address; past it the address is refused until the window ends. */
  authFailureLimit: RateLimitSetting;
  /** How long a verified API key is remembered; another process's revocation takes up to this long to apply. */
  keyCacheTtlMs: number;
  /** Express's `trust proxy` (OMS_TRUST_PROXY): the proxies in front of the API, so each client's address is right. */
  trustProxy: number | string | undefined;
  /** Worker tuning (unset: the Temporal SDK's defaults). See docs/benchmarks.md for measured effects. */
  worker: {
    maxCachedWorkflows?: number;
    maxConcurrentWorkflowTaskExecutions?: number;
    maxConcurrentActivityTaskExecutions?: number;
  };
  /** The shop's language for customer emails when an order names none. */
  language: (typeof LANGUAGES)[number];
  publicUrl: string;
  /**
   * Keys of the Temporal payload codec (OMS_PAYLOAD_KEYS, OMS_PAYLOAD_KEY_ID). Unset: `npm start` generates one into
   * the data folder; the worker and the API refuse to start without keys.
   */
  payloadKeys: PayloadKeys | undefined;
  /** Browser origins (the Temporal Web UI) allowed to call the codec endpoint `/api/codec`. */
  codecCorsOrigins: string[];
}

/** Reads the configuration from `source` (the process environment unless given). */
export function loadConfig(source: Env = process.env): Config {
  const env = (name: string, fallback: string): string => {
    const value = source[name];
    return value === undefined || value === '' ? fallback : value;
  };
  const port = Number(env('PORT', '3000'));
  const dataDir = path.resolve(ROOT_DIR, env('OMS_DATA_DIR', 'data'));
  const slaMs = Object.fromEntries(
    WAITING_STAGES.map((stage) => [stage, durationFrom(source, `OMS_SLA_${stage}`, DEFAULT_SLAS[stage])]),
  ) as Record<WaitingStage, number>;
  return {
    port,
    dataDir,
    databaseUrl: env('DATABASE_URL', `file:${path.join(dataDir, 'oms.db')}`),
    temporalAddress: env('TEMPORAL_ADDRESS', `127.0.0.1:${env('TEMPORAL_PORT', '7233')}`),
    temporalEmbedded: !source.TEMPORAL_ADDRESS,
    temporalUiPort: Number(env('TEMPORAL_UI_PORT', '8233')),
    temporalNamespace: env('TEMPORAL_NAMESPACE', 'default'),
    taskQueue: env('TEMPORAL_TASK_QUEUE', 'shop-oms'),
    smtpUrl: env('SMTP_URL', `smtp://127.0.0.1:${env('MAILDEV_SMTP_PORT', '1025')}`),
    mailEmbedded: !source.SMTP_URL,
    mailWebPort: Number(env('MAILDEV_WEB_PORT', '1080')),
    mailFrom: env('MAIL_FROM', 'Shop OMS <orders@shop-oms.local>'),
    managerEmail: env('MANAGER_EMAIL', 'manager@shop-oms.local'),
    bootstrapAdminKey: source.OMS_BOOTSTRAP_ADMIN_KEY || undefined,
    afterSalesWindowMs: durationFrom(source, 'OMS_AFTER_SALES_WINDOW', '7d'),
    slaMs,
    localCarrierUrl: env('CARRIER_LOCAL_URL', `http://127.0.0.1:${env('LOCAL_CARRIER_PORT', '4010')}`),
    carrierWebhookSecret: env('CARRIER_WEBHOOK_SECRET', 'local-carrier-dev-secret'),
    expressFromMinor: integerFrom(source, 'OMS_EXPRESS_FROM_MINOR', 200_000),
    intakeRateLimit: rateLimitFrom(source, 'OMS_INTAKE_RATE_LIMIT', '3000/1m'),
    authFailureLimit: rateLimitFrom(source, 'OMS_AUTH_FAILURE_LIMIT', '100/15m'),
    keyCacheTtlMs: durationFrom(source, 'OMS_KEY_CACHE_TTL', '60s'),
    trustProxy: trustProxyFrom(source),
    language: languageFrom(source),
    worker: {
      maxCachedWorkflows: optionalInteger(source, 'OMS_WORKER_MAX_CACHED_WORKFLOWS'),
      maxConcurrentWorkflowTaskExecutions: optionalInteger(source, 'OMS_WORKER_WORKFLOW_TASKS'),
      maxConcurrentActivityTaskExecutions: optionalInteger(source, 'OMS_WORKER_ACTIVITY_TASKS'),
    },
    publicUrl: env('OMS_PUBLIC_URL', `http://127.0.0.1:${port}`),
    payloadKeys: payloadKeysFrom(source),
    codecCorsOrigins: env(
      'OMS_CODEC_CORS_ORIGINS',
      ['127.0.0.1', 'localhost'].map((host) => `http://${host}:${env('TEMPORAL_UI_PORT', '8233')}`).join(','),
    )
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
}
