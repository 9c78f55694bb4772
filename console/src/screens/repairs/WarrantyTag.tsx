import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** In or out of warranty, with the day it ends or ended. */
export function WarrantyTag({ inWarranty, endsAt }: { inWarranty: boolean; endsAt: string | null }) {
  const { t } = useTranslation();
  const until = endsAt ? endsAt.slice(0, 10) : '-';
  return inWarranty ? (
    <Tag color="green">{t('repairs.inWarranty', { until })}</Tag>
  ) : (
    <Tag color="orange">{t('repairs.outOfWarranty', { until })}</Tag>
  );
}
