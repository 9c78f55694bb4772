/**
 * Failure messages and stack traces go into an encoded payload, so the payload codec encrypts them too:
 * an activity error may quote personal data (an SMTP server rejecting "li@example.com", say), and without
 * this it would sit in the history in clear. Loaded by path (`failureConverterPath`) because the workflow
 * sandbox needs it as well; it must stay free of Node APIs.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
