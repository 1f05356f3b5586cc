/**
 * Every specific error reason the core may send, as `domain.what`. The renderer translates each one
 * (zh-CN and English, with its params) in one place; a test keeps this list and the strings equal.
 * Add a reason here with the error that needs it — one block per domain, so branches merge cleanly.
 */
export const ERROR_REASONS = [
  // store
  'store.disk_full',
  'store.read_only',
  // people on duty (auth, roles, co-sign)
  'auth.required',
  'auth.forbidden',
  // city link
  'uplink.not_configured',
  // analysis
  'analysis.unknown_widget',
  'analysis.bad_date',
  'analysis.period_reversed',
  'analysis.period_too_long',
  'analysis.unknown_warning',
  'analysis.warning_closed',
  // cameras
  'cameras.unknown_camera',
  // long work (progress, cancellation)
  'job.cancelled',
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];
