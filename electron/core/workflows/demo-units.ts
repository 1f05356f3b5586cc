import type { UnitDraft } from '@shared';
import { UnitDraft as UnitDraftSchema } from '@shared';
import type { UnitStore } from './unit-store';

/** The demo grids of 桂山社区 and of 桂山村 (resources/demo/guishan-demo-grids.json). */
const COMMUNITY_GRIDS = ['GS-01', 'GS-04', 'GS-05', 'GS-06', 'GS-10'];
const VILLAGE_GRIDS = ['GS-02', 'GS-03', 'GS-07', 'GS-08', 'GS-09'];

/**
 * The Guishan directory for the demo: real kinds of bodies on the island, invented phone numbers,
 * channels and people. The police station's name follows the island's border police station.
 */
export const GUISHAN_UNITS: readonly UnitDraft[] = [
  { kind: 'police_station', name: '桂山边防派出所', phone: '0756-8830110', radioChannel: '治安 3 频道', note: '24 小时值班' },
  { kind: 'police_station', name: '万山海岸派出所', phone: '0756-8839110', radioChannel: '海防 5 频道', grids: ['GS-06', 'GS-10'], note: '海上联勤' },
  { kind: 'village_committee', name: '桂山社区居委会', phone: '0756-8830201', radioChannel: '', grids: COMMUNITY_GRIDS },
  { kind: 'village_committee', name: '桂山村村委会', phone: '0756-8830204', grids: VILLAGE_GRIDS },
  { kind: 'village_committee', name: '中心洲村委会', phone: '0756-8830202', grids: ['GS-11'] },
  { kind: 'mediation_committee', name: '桂山社区人民调解委员会', phone: '0756-8830203', grids: COMMUNITY_GRIDS },
  { kind: 'mediation_committee', name: '桂山村人民调解委员会', phone: '0756-8830205', grids: VILLAGE_GRIDS },
  { kind: 'mediation_committee', name: '桂山镇人民调解委员会', phone: '0756-8830301', note: '镇级调解' },
  { kind: 'mediation_room', name: '镇综治中心矛盾纠纷调解室', phone: '0756-8830302', note: '综治中心二楼' },
  { kind: 'lawyer', name: '林志明律师（驻镇法律顾问）', phone: '13800138011', note: '公共法律服务室，周二、周四驻点' },
  { kind: 'lawyer', name: '黄雅琪律师', phone: '13800138012', note: '劳动争议' },
  { kind: 'counsellor', name: '陈静（广东心安心理咨询师）', phone: '13800138021', note: '“广东心安”心理服务' },
  { kind: 'quarantine_site', name: '桂山镇集中隔离点（海景酒店）', phone: '0756-8830501', radioChannel: '卫健 2 频道', capacity: 30 },
  { kind: 'quarantine_site', name: '镇卫生院留观点', phone: '0756-8830502', capacity: 4 },
  // The grid workers named in the demo grids (resources/demo/guishan-demo-grids.json).
  { kind: 'grid_worker', name: '网格员 何少华', phone: '13900139001', grids: ['GS-01'], onDuty: true },
  { kind: 'grid_worker', name: '网格员 周敏', phone: '13900139002', grids: ['GS-02'], onDuty: true },
  { kind: 'grid_worker', name: '网格员 郑家豪', phone: '13900139003', grids: ['GS-03'], onDuty: false },
  { kind: 'grid_worker', name: '网格员 陈志远', phone: '13900139005', grids: ['GS-05'], onDuty: true },
  { kind: 'grid_worker', name: '网格员 邓永康', phone: '13900139011', grids: ['GS-11'], onDuty: true },
];

/** Seeds the directory when it is empty; returns how many units were added. */
export function seedGuishanUnits(units: UnitStore, at: number): number {
  if (units.count() > 0) return 0;
  for (const draft of GUISHAN_UNITS) units.create(UnitDraftSchema.parse(draft), at);
  return GUISHAN_UNITS.length;
}
