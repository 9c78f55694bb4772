/** Revoking a key or a session: asked first, done, said, and the list read again whatever the answer. */
import type { App } from 'antd';
import type { TFunction } from 'i18next';
import { errorText } from '../../errors';

export function confirmRevoke(
  app: Pick<ReturnType<typeof App.useApp>, 'modal' | 'message'>,
  t: TFunction,
  words: { title: string; done: string },
  revoke: () => Promise<unknown>,
  after: { onError: (text: string | undefined) => void; reload: () => void },
): void {
  app.modal.confirm({
    title: words.title,
    okText: t('staff.confirm'),
    okButtonProps: { danger: true },
    cancelText: t('staff.cancel'),
    onOk: async () => {
      after.onError(undefined);
      try {
        await revoke();
        void app.message.success(words.done);
      } catch (err) {
        after.onError(errorText(err, t));
      }
      after.reload();
    },
  });
}
