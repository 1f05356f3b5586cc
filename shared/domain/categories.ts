import type { Category } from './incident';

/**
 * The categories of the brief, seeded into the store by migration 1.
 * Default terms follow the practice quoted in the seeds: simple cases the same day,
 * ordinary ones 2–3 days, hard ones 7 days, at most 15 days (petitions).
 */
export const SEED_CATEGORIES: readonly Category[] = [
  { code: 'illegal_landing', nameZh: '非法登岸', nameEn: 'Illegal landing', group: 'double_anti', defaultDeadlineHours: 24 },
  { code: 'smuggling', nameZh: '走私', nameEn: 'Smuggling', group: 'double_anti', defaultDeadlineHours: 72 },
  { code: 'public_security', nameZh: '治安', nameEn: 'Public security', group: 'security', defaultDeadlineHours: 72 },
  { code: 'dispute', nameZh: '矛盾纠纷', nameEn: 'Dispute', group: 'mediation', defaultDeadlineHours: 168 },
  { code: 'petition', nameZh: '信访', nameEn: 'Petition', group: 'mediation', defaultDeadlineHours: 360 },
  { code: 'safety_hazard', nameZh: '安全隐患', nameEn: 'Safety hazard', group: 'grid', defaultDeadlineHours: 72 },
  { code: 'fire', nameZh: '消防', nameEn: 'Fire', group: 'emergency', defaultDeadlineHours: 24 },
  { code: 'traffic', nameZh: '交通', nameEn: 'Traffic', group: 'grid', defaultDeadlineHours: 48 },
  { code: 'epidemic', nameZh: '疫情防控', nameEn: 'Epidemic prevention', group: 'double_anti', defaultDeadlineHours: 24 },
  { code: 'other', nameZh: '其他', nameEn: 'Other', group: 'other', defaultDeadlineHours: 72 },
];
