import type { TFunction } from 'i18next';
import { ContractError, type FieldIssue } from '@shared';
import { describeFailure, notifyFailure, reasonMessage } from '../../app/errors';

/** A field issue in the operator's language: its reason (the cameras' errors and every zod issue from the dispatcher carry one), else its own words. */
export function issueMessage(issue: FieldIssue, t: TFunction): string {
  return issue.reason ? reasonMessage(issue.reason, issue.params ?? {}, t) : issue.message;
}

/** A failed camera command's sentence: its reason, else its first field issue's, else the generic description. */
export function cameraErrorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ContractError) {
    if (error.reason) return reasonMessage(error.reason, error.params, t);
    const first = error.issues.find((i) => i.reason);
    if (first) return issueMessage(first, t);
  }
  return describeFailure(error, t).message;
}

/** A failed camera command as a notification (errors with a reason are translated by notifyFailure itself). */
export function notifyCameraFailure(error: unknown, t: TFunction): void {
  const issue = error instanceof ContractError && !error.reason ? error.issues.find((i) => i.reason) : undefined;
  notifyFailure(error, t, issue ? issueMessage(issue, t) : undefined);
}
