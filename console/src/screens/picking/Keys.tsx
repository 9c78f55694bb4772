/** The keys that work on a screen, as keyboard caps. */
import { Space, Typography } from 'antd';

export function Keys({ keys, label }: { keys: [string, string][]; label: string }) {
  return (
    <Space wrap size="large" data-testid="pick-keys">
      <Typography.Text type="secondary">{label}</Typography.Text>
      {keys.map(([key, what]) => (
        <span key={key} style={{ fontSize: 16 }}>
          <kbd
            style={{
              border: '1px solid #bbb',
              borderBottomWidth: 3,
              borderRadius: 4,
              padding: '1px 8px',
              marginRight: 6,
              fontFamily: 'monospace',
              background: '#fafafa',
            }}
          >
            {key}
          </kbd>
          {what}
        </span>
      ))}
    </Space>
  );
}
