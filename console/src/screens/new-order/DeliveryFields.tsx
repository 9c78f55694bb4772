/** Delivery: shipped to an address (optionally express), or collected in a store; an in-store sale is always collected. */
import { Checkbox, Col, Form, Input, Radio, Row, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isPickup, type Address, type Draft, type Issues, type Location } from './model';

const ADDRESS_FIELDS: { key: keyof Address; max: number; required: boolean; span: number }[] = [
  { key: 'line1', max: 200, required: true, span: 16 },
  { key: 'line2', max: 200, required: false, span: 8 },
  { key: 'city', max: 100, required: true, span: 8 },
  { key: 'region', max: 100, required: false, span: 6 },
  { key: 'postalCode', max: 20, required: true, span: 6 },
  { key: 'country', max: 2, required: true, span: 4 },
];

export function DeliveryFields({
  draft,
  locations,
  issues,
  onChange,
}: {
  draft: Draft;
  locations: readonly Location[];
  issues: Issues;
  onChange: (change: Partial<Draft>) => void;
}) {
  const { t } = useTranslation();
  const pos = draft.channel === 'pos';
  const pickup = isPickup(draft);
  const stores = locations.filter((l) => l.pickup);
  const addressIssue = issues.shippingAddress;

  return (
    <>
      <Form.Item>
        <Radio.Group
          value={pickup ? 'pickup' : 'ship'}
          onChange={(e) => onChange({ delivery: e.target.value as Draft['delivery'] })}
          options={[
            { value: 'ship', label: t('newOrder.ship'), disabled: pos },
            { value: 'pickup', label: t('newOrder.pickup') },
          ]}
        />
        {pos && (
          <div>
            <Typography.Text type="secondary">{t('newOrder.posPickup')}</Typography.Text>
          </div>
        )}
      </Form.Item>
      {pickup ? (
        <Form.Item
          label={t('newOrder.pickupStore')}
          htmlFor="new-order-pickupStore"
          required
          validateStatus={issues.pickupStore ? 'error' : undefined}
          help={issues.pickupStore}
        >
          <Select
            id="new-order-pickupStore"
            style={{ maxWidth: 420 }}
            value={draft.pickupStore}
            onChange={(pickupStore: string) => onChange({ pickupStore })}
            options={stores.map((s) => ({ value: s.code, label: `${s.name} (${s.code})` }))}
          />
        </Form.Item>
      ) : (
        <>
          {addressIssue && (
            <Typography.Paragraph type="danger" style={{ marginBottom: 8 }}>
              {addressIssue}
            </Typography.Paragraph>
          )}
          <Row gutter={16}>
            {ADDRESS_FIELDS.map(({ key, max, required, span }) => {
              const issue = issues[`shippingAddress.${key}`];
              return (
                <Col key={key} xs={24} md={span}>
                  <Form.Item
                    label={t(`newOrder.${key}`)}
                    htmlFor={`new-order-${key}`}
                    required={required}
                    validateStatus={issue ? 'error' : undefined}
                    help={issue}
                  >
                    <Input
                      id={`new-order-${key}`}
                      maxLength={max}
                      value={draft.address[key]}
                      onChange={(e) =>
                        onChange({
                          address: {
                            ...draft.address,
                            [key]: key === 'country' ? e.target.value.toUpperCase() : e.target.value,
                          },
                        })
                      }
                    />
                  </Form.Item>
                </Col>
              );
            })}
          </Row>
          <Form.Item>
            <Checkbox checked={draft.urgent} onChange={(e) => onChange({ urgent: e.target.checked })}>
              {t('newOrder.urgent')}
            </Checkbox>
          </Form.Item>
        </>
      )}
    </>
  );
}
