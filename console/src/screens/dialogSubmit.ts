/**
 * A dialog's Save: busy while the request runs, and the API's refusal shown. With a form, a 422's field issues go next
 * to their fields (fieldErrors.ts) and only what no field took is shown above them.
 */
import { useState } from 'react';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import { fieldIssues, showFieldIssues } from './fieldErrors';

export function useDialogSubmit(form?: FormInstance) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (send: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await send();
    } catch (err) {
      if (!form || fieldIssues(err).length === 0) {
        setError(errorText(err, t));
        return;
      }
      const leftOver = showFieldIssues(form, err, (path) => [path[0]]);
      setError(leftOver.map((i) => i.message).join('; ') || undefined);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
