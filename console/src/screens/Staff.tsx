/** Admins: the API keys (create, shown once; revoke) and everyone's sign-in sessions (end one). */
import { useState } from 'react';
import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SignedIn } from '../types';
import { Keys } from './staff/Keys';
import { Sessions } from './staff/Sessions';

export function Staff({ me }: { me: SignedIn }) {
  const { t } = useTranslation();
  // Revoking a key ends its sessions: the sessions list loads again.
  const [generation, setGeneration] = useState(0);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('staff.title')}
      </Typography.Title>
      <Keys me={me} onChanged={() => setGeneration((g) => g + 1)} />
      {me.permissions.includes('sessions.manage') && <Sessions me={me} generation={generation} />}
    </Space>
  );
}
