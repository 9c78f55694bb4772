import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { RETURN_STATUS_COLOURS } from './model';

export function ReturnStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={RETURN_STATUS_COLOURS[status] ?? 'default'}>{t(`returns.status.${status}`)}</Tag>;
}
