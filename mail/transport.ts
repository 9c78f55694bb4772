/** One nodemailer transport for every environment: embedded MailDev by default, any SMTP relay via SMTP_URL. */
import nodemailer from 'nodemailer';

export type Mailer = nodemailer.Transporter;

export function createMailer(smtpUrl: string): Mailer {
  return nodemailer.createTransport(smtpUrl);
}
