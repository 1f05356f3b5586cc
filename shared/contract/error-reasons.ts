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
  'uplink.unknown_directive',
  'uplink.directive_already_signed',
  'uplink.bad_certificate',
  'uplink.secret_unreadable',
  // analysis
  'analysis.unknown_widget',
  // cameras
  'cameras.unknown_camera',
  'cameras.duplicate',
  'cameras.bad_url',
  'cameras.unreachable',
  'cameras.unauthorized',
  'cameras.not_onvif',
  'cameras.no_ptz',
  'cameras.unknown_preset',
  'cameras.no_answer',
  'cameras.camera_fault',
  'cameras.unknown_alarm',
  'cameras.alarm_handled',
  'cameras.bad_image',
  'cameras.image_too_large',
  'cameras.snapshot_foreign_host',
  'cameras.snapshot_basic_over_http',
  // long work (progress, cancellation)
  'job.cancelled',
  // grid import (geometry)
  'grids.too_many_grids',
  'grids.too_many_vertices',
  'grids.too_few_points',
  'grids.self_intersection',
  'grids.rings_cross',
  'grids.hole_outside',
  'grids.overlap',
  // transport (hostile or oversized frames, slow readers)
  'transport.frame_too_large',
  'transport.malformed_frame',
  'transport.invalid_text',
] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];
