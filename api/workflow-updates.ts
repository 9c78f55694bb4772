/** Staff actions are workflow Updates; their validators' refusals become HTTP answers at once. */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HttpError } from './errors';

const STATUS_BY_FAILURE: Record<string, [number, string]> = {
  WRONG_STATE: [409, 'WRONG_STATE'],
  INVALID_CONTENT: [422, 'INVALID_CONTENT'],
};

export async function runUpdate<T>(what: string, update: () => Promise<T>): Promise<T> {
  try {
    return await update();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const mapped = STATUS_BY_FAILURE[err.cause.type ?? ''];
      if (mapped) throw new HttpError(mapped[0], mapped[1], err.cause.message, err.cause.details?.[0] ?? undefined);
    }
    // No running workflow: a plain Update finds none, and an Update-with-Start may not start a closed one again.
    if (err instanceof WorkflowNotFoundError || err instanceof WorkflowExecutionAlreadyStartedError)
      throw new HttpError(409, 'WRONG_STATE', `${what} is closed or not started yet`);
    throw err;
  }
}
