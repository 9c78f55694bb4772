import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** A ticket's status: blue while in repair, green when ready, red refused, grey once handed back. */
export function RepairStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const color = ['COLLECTED', 'SHIPPED_BACK'].includes(status)
    ? 'default'
    : ['REPAIRED', 'REPLACED'].includes(status)
      ? 'green'
      : status === 'REFUSED'
        ? 'red'
        : 'blue';
  return <Tag color={color}>{t(`repairs.status.${status}`)}</Tag>;
}
