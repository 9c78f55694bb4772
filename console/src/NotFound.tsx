import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** A console path that is no screen's, or not this person's. */
export function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title={t('notFound')} />;
}
