/**
 * Every setting comes from the environment and has a default that needs no editing
 * (see the configuration table in README.md). Read once per process.
 */
import path from 'node:path';
import { parseDuration } from './duration';
import { WAITING_STAGES, type WaitingStage } from '../domain/order-status';
import { LANGUAGES } from '../domain/order-input';

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
  /** Worker tuning (unset: the Temporal SDK's defaults). See docs/benchmarks.md for measured effects. */
  worker: {
    maxCachedWorkflows?: number;
    maxConcurrentWorkflowTaskExecutions?: number;
    maxConcurrentActivityTaskExecutions?: number;
  };
  /** The shop's language for customer emails when an order names none. */
  language: (typeof LANGUAGES)[number];
  publicUrl: string;
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
    language: languageFrom(source),
    worker: {
      maxCachedWorkflows: optionalInteger(source, 'OMS_WORKER_MAX_CACHED_WORKFLOWS'),
      maxConcurrentWorkflowTaskExecutions: optionalInteger(source, 'OMS_WORKER_WORKFLOW_TASKS'),
      maxConcurrentActivityTaskExecutions: optionalInteger(source, 'OMS_WORKER_ACTIVITY_TASKS'),
    },
    publicUrl: env('OMS_PUBLIC_URL', `http://127.0.0.1:${port}`),
  };
}
