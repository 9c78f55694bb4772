/** A new product with its variants (POST /api/products); the API's field issues show next to their fields. */
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Form, Input, InputNumber, Modal, Row } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../errors';
import { fieldIssues, showFieldIssues } from '../fieldErrors';
import { send, type BodyOf } from '../../typed-api';

interface VariantValues {
  sku?: string;
  barcode?: string;
  price?: number | null;
  attributes?: string;
}
interface Values {
  code?: string;
  name?: string;
  category?: string;
  serialised?: boolean;
  variants?: VariantValues[];
}

/** "size=M; colour=white" → {size: 'M', colour: 'white'}; undefined when a piece is not name=value. */
export function parseAttributes(text: string | undefined): Record<string, string> | undefined {
  const attributes: Record<string, string> = {};
  for (const piece of (text ?? '').split(/[;；]/)) {
    if (!piece.trim()) continue;
    const at = piece.indexOf('=');
    if (at <= 0) return undefined;
    attributes[piece.slice(0, at).trim()] = piece.slice(at + 1).trim();
  }
  return attributes;
}

/** Yuan as typed → fen (the API's minor units). */
const fen = (yuan: number | null | undefined) => (yuan == null ? undefined : Math.round(yuan * 100));

/** The API's path of a field → the form's: the price is typed in yuan, attributes as one text. */
function fieldName(path: (string | number)[]): (string | number)[] | undefined {
  if (path[0] !== 'variants') return path.length === 1 ? path : undefined;
  if (typeof path[1] !== 'number') return undefined;
  const field = path[2] === 'priceMinor' ? 'price' : path[2];
  return typeof field === 'string' ? ['variants', path[1], field] : undefined;
}

export function ProductForm({ onClose, onCreated }: { onClose: () => void; onCreated: (code: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const required = [{ required: true, whitespace: true, message: t('catalogue.required') }];

  const submit = async () => {
    const values = await form.validateFields();
    const body = {
      code: values.code?.trim() ?? '',
      name: values.name?.trim() ?? '',
      category: values.category?.trim() ?? '',
      serialised: values.serialised ?? false,
      variants: (values.variants ?? []).map((v) => ({
        sku: v.sku?.trim() ?? '',
        barcode: v.barcode?.trim() ?? '',
        priceMinor: fen(v.price),
        attributes: parseAttributes(v.attributes) ?? {},
      })),
    };
    setBusy(true);
    setError(undefined);
    try {
      // As typed: a price left empty comes back as the API's 422, shown next to its field.
      await send('post', '/products', {}, body as BodyOf<'/products', 'post'>);
      onCreated(body.code);
    } catch (err) {
      const leftOver = showFieldIssues(form, err, fieldName);
      const issues = fieldIssues(err);
      if (issues.length === 0) setError(errorText(err, t));
      else if (leftOver.length) setError(leftOver.map((i) => `${i.path}: ${i.message}`).join('; '));
      else setError(t('catalogue.fixFields'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={760}
      title={t('catalogue.createTitle')}
      okText={t('catalogue.save')}
      cancelText={t('catalogue.close')}
      okButtonProps={{ loading: busy }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && (
        <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="product-error" />
      )}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ serialised: false, variants: [{ attributes: '' }] }}
      >
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item name="code" label={t('catalogue.code')} rules={required}>
              <Input maxLength={64} autoFocus />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item name="name" label={t('catalogue.name')} rules={required}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="category" label={t('catalogue.category')} rules={required}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item name="serialised" valuePropName="checked" label=" " extra={t('catalogue.serialisedHelp')}>
              <Checkbox>{t('catalogue.serialised')}</Checkbox>
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="variants">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  title={t('catalogue.variantN', { n: index + 1 })}
                  style={{ marginBottom: 12 }}
                  extra={
                    fields.length > 1 && (
                      <Button size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)}>
                        {t('catalogue.removeVariant')}
                      </Button>
                    )
                  }
                >
                  <Row gutter={12}>
                    <Col xs={24} sm={8}>
                      <Form.Item name={[field.name, 'sku']} label={t('catalogue.sku')} rules={required}>
                        <Input maxLength={64} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={9}>
                      <Form.Item name={[field.name, 'barcode']} label={t('catalogue.barcode')} rules={required}>
                        <Input inputMode="numeric" maxLength={14} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={7}>
                      <Form.Item
                        name={[field.name, 'price']}
                        label={t('catalogue.priceYuan')}
                        rules={[{ required: true, message: t('catalogue.required') }]}
                      >
                        <InputNumber<number> precision={2} step={1} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={24}>
                      <Form.Item
                        name={[field.name, 'attributes']}
                        label={t('catalogue.attributes')}
                        extra={t('catalogue.attributesHelp')}
                        rules={[
                          {
                            validator: (_rule, value: string | undefined) =>
                              parseAttributes(value)
                                ? Promise.resolve()
                                : Promise.reject(new Error(t('catalogue.attributesInvalid'))),
                          },
                        ]}
                      >
                        <Input maxLength={500} />
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ attributes: '' })}>
                {t('catalogue.addVariant')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
