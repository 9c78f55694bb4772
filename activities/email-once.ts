/**
 * A customer email sent once, whatever retries: the log row (EmailLog, unique `key`) is written before sending and
 * marked after, so a retry after success sends nothing. If the mark fails (the database went away just after the
 * mail server accepted the message), the acceptance is kept in the attempt's heartbeat details, which Temporal hands
 * to the retry: the retry only marks. Left is a worker crash between the mail server's acceptance and the heartbeat
 * reaching Temporal; the Message-ID is fixed per email, so a resend there is recognisable as the same message.
 * For activities only (it heartbeats).
 */
import { Context } from '@temporalio/activity';
import type { Db } from '../db/client';
import type { Mailer } from '../mail/transport';

export interface OnceEmail {
  key: string;
  kind: string;
  recipient: string;
  messageId: string;
  subject: string;
  text: string;
  html: string;
  orderNumber?: string;
}

/** What an attempt leaves for its retry once the mail server has accepted the message. */
interface SmtpAccepted {
  acceptedMessageId: string;
}

function acceptedEarlier(): SmtpAccepted | undefined {
  const details = Context.current().info.heartbeatDetails as Partial<SmtpAccepted> | undefined;
  return typeof details?.acceptedMessageId === 'string' ? { acceptedMessageId: details.acceptedMessageId } : undefined;
}

/**
 * Call first in the activity: an earlier attempt's acceptance is carried forward, so an attempt that fails before
 * reaching the mark does not lose it for the next one.
 */
export function carryAcceptance(): void {
  const earlier = acceptedEarlier();
  if (earlier) Context.current().heartbeat(earlier);
}

export async function sendEmailOnce(db: Db, mailer: Mailer, from: string, email: OnceEmail): Promise<void> {
  const { key, kind, recipient, messageId, subject, text, html, orderNumber } = email;
  // The log row first, as one INSERT (an upsert is a transaction of several statements): it exists already
  // when an earlier attempt wrote it, and then says whether that attempt got as far as sending.
  const fresh = await db.emailLog
    .create({
      data: { key, kind, recipient, subject, messageId, status: 'SENDING', orderNumber },
      select: { key: true },
    })
    .then(
      () => true,
      (err: unknown) => {
        if ((err as { code?: string }).code !== 'P2002') throw err;
        return false;
      },
    );
  if (!fresh && (await db.emailLog.findUnique({ where: { key }, select: { status: true } }))?.status === 'SENT') {
    return;
  }
  if (acceptedEarlier()?.acceptedMessageId !== messageId) {
    await mailer.sendMail({ from, to: recipient, messageId, subject, text, html });
    Context.current().heartbeat({ acceptedMessageId: messageId } satisfies SmtpAccepted);
  }
  // updateMany: one UPDATE, without reading the row back.
  await db.emailLog.updateMany({ where: { key }, data: { status: 'SENT', sentAt: new Date() } });
}
