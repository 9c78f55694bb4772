import type { TFunction } from 'i18next';
import { ApiError } from './api';

/** The API's own message (it is written for people), or a general one. */
export function errorText(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return t('error.offline');
  return t('error.generic');
}
