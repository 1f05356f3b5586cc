import type { IncidentSource, ParsedInput, Priority } from '@shared';
import type { IncidentStore } from '../incidents';

/**
 * Demo data for Guishan Town (桂山镇). Places are real names on and around the island; people,
 * units' staff and events are invented. Everything is created through the store's own commands,
 * so the event log and its hash chain are the same as for real work.
 */

type Step = ParsedInput<'incidents.transition'>['transition'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Anchor points on Guishan Island and its neighbours (WGS84, approximate). */
const PLACES = [
  { name: '桂山码头', lon: 113.8236, lat: 22.1352 },
  { name: '桂山村', lon: 113.8208, lat: 22.1339 },
  { name: '企湾', lon: 113.8143, lat: 22.1298 },
  { name: '大坑湾', lon: 113.8277, lat: 22.1296 },
  { name: '镇政府广场', lon: 113.8221, lat: 22.1367 },
  { name: '桂山渔港', lon: 113.8252, lat: 22.1381 },
  { name: '海滨栈道', lon: 113.8179, lat: 22.1372 },
  { name: '中心洲', lon: 113.8003, lat: 22.1683 }, // on the GSHHG island polygon (resources/basemap)
  { name: '牛头岛', lon: 113.8530, lat: 22.1380 },
] as const;

interface Template {
  category: string;
  source: IncidentSource;
  priority: Priority;
  titles: readonly string[];
  description: string;
}

const TEMPLATES: readonly Template[] = [
  {
    category: 'illegal_landing',
    source: 'camera_alarm',
    priority: 1,
    titles: ['{place}发现可疑快艇高速靠岸', '{place}监控发现两人夜间登岸后离开', '{place}岸线越界告警：不明人员登岸'],
    description: '视频监控室值班员发现可疑情况，已截图留存，请派出所核查。',
  },
  {
    category: 'smuggling',
    source: 'camera_alarm',
    priority: 2,
    titles: ['{place}附近海域可疑船只夜间卸货', '{place}发现疑似走私冻品转运', '{place}渔船异常靠泊，疑似走私'],
    description: '监控画面显示船只无正常作业迹象，建议联合海警核查。',
  },
  {
    category: 'public_security',
    source: 'phone',
    priority: 2,
    titles: ['{place}酒后滋事，群众电话报警', '{place}游客财物被盗', '{place}夜间噪音扰民投诉'],
    description: '群众来电反映，值班员已记录来电人信息。',
  },
  {
    category: 'dispute',
    source: 'grid_report',
    priority: 3,
    titles: ['{place}邻里宅基地边界纠纷', '{place}渔船泊位使用纠纷', '{place}民宿经营者与租户租金纠纷', '{place}家庭赡养纠纷'],
    description: '网格员上报，当事双方情绪较激动，需村调委会介入调解。',
  },
  {
    category: 'petition',
    source: 'walk_in_petition',
    priority: 2,
    titles: ['食堂承包欠款13万元，三方来访', '{place}渔民补偿款发放问题来访', '务工人员工资拖欠集体来访'],
    description: '来访群众到综治中心反映诉求，已登记来访批次与人数。',
  },
  {
    category: 'safety_hazard',
    source: 'grid_report',
    priority: 3,
    titles: ['{place}护栏松动存在坠落隐患', '{place}电动车楼道充电', '{place}山体边坡落石隐患', '{place}液化气瓶露天存放'],
    description: '网格员日常巡查发现，已拍照上报。',
  },
  {
    category: 'fire',
    source: 'phone',
    priority: 1,
    titles: ['{place}杂草起火', '{place}民房厨房冒烟', '{place}垃圾堆燃烧'],
    description: '群众报告，已通知微型消防站。',
  },
  {
    category: 'traffic',
    source: 'grid_report',
    priority: 3,
    titles: ['{place}路口车辆乱停放', '{place}道路塌陷影响通行', '{place}电动三轮车违规载客'],
    description: '网格员巡查发现，需交通管理部门处置。',
  },
  {
    category: 'epidemic',
    source: 'city_directive',
    priority: 2,
    titles: ['市指挥部通报：入境人员健康监测', '{place}外来船员健康申报核查', '密接人员转运隔离点'],
    description: '按上级指令落实健康监测与隔离措施。',
  },
  {
    category: 'other',
    source: 'phone',
    priority: 4,
    titles: ['{place}路灯不亮', '{place}流浪犬伤人隐患', '{place}公共厕所无水'],
    description: '群众来电反映，转相关部门处理。',
  },
];

const REPORTERS = ['陈海生', '黄伟明', '李秀英', '林国强', '张丽华', '梁志坚', '吴晓玲', '视频监控室'];
const UNITS = ['桂山派出所', '桂山边防派出所', '镇综合执法队', '桂山村委会', '镇人民调解委员会', '镇应急办', '镇卫生院'];
const GRID_WORKERS = ['网格员 何少华', '网格员 周敏', '网格员 郑家豪', '网格员 罗美玲'];
const FEEDBACK = ['已到场核查处置完毕，现场恢复正常。', '当事双方已达成调解协议并签字。', '隐患已整改，已复查确认。', '已移交派出所依法处理。'];

/** Deterministic pseudo-random numbers, so the demo is the same on every machine. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoOptions {
  actor: string;
  now: number;
  count?: number;
  days?: number;
}

export function seedGuishanDemo(store: IncidentStore, { actor, now, count = 320, days = 120 }: DemoOptions): number {
  const rnd = random(20221215);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;

  return store.write(() => {
    // More recent incidents are likelier, as in a real log; created oldest first so codes follow time.
    const recordedTimes = Array.from({ length: count }, () => Math.round(now - days * Math.pow(rnd(), 1.6) * DAY)).sort((a, b) => a - b);
    for (const recordedAt of recordedTimes) {
      const occurredAt = recordedAt - Math.round(rnd() * 2 * HOUR);
      const template = pick(TEMPLATES);
      const place = pick(PLACES);
      const title = pick(template.titles).replace('{place}', place.name);
      const { incident } = store.create(
        {
          category: template.category,
          title,
          description: `${template.description}（演示数据）`,
          location: { lon: place.lon + (rnd() - 0.5) * 0.003, lat: place.lat + (rnd() - 0.5) * 0.003 },
          gridId: null,
          source: template.source,
          priority: template.priority,
          reporter: template.source === 'camera_alarm' ? '视频监控室' : pick(REPORTERS),
          occurredAt,
        },
        actor,
        recordedAt,
      );

      // How far along the loop it got, as on a working town's board: everything older than ten days
      // is closed; of the last ten days' cases a few are still open and overdue by days (being
      // handled or awaiting review), and the last three days' are at every stage.
      const age = now - recordedAt;
      const stage = age > 10 * DAY ? 6 : age > 3 * DAY ? (rnd() < 0.85 ? 6 : 2 + Math.floor(rnd() * 3)) : Math.floor(rnd() * 6);
      const steps: Step[] = [];
      if (stage >= 1) {
        const assignee = rnd() < 0.6 ? { kind: 'unit' as const, name: pick(UNITS) } : { kind: 'grid_worker' as const, name: pick(GRID_WORKERS) };
        steps.push({ action: 'dispatch', assignee, note: '' });
      }
      if (stage >= 2) steps.push({ action: 'start', note: '' });
      if (stage >= 3) steps.push({ action: 'submit_feedback', result: pick(FEEDBACK) });
      if (stage >= 4 && rnd() < 0.15) {
        steps.push({ action: 'reject_feedback', reason: '反馈材料不全，请补充现场照片。' });
        steps.push({ action: 'submit_feedback', result: '已补充现场照片，处置完毕。' });
      }
      if (stage >= 5) steps.push({ action: 'close', note: '' });
      if (stage >= 6 && rnd() < 0.7) {
        steps.push({ action: 'assess', assessment: { score: 3 + Math.floor(rnd() * 3), comment: '处置及时，群众满意。' } });
      }

      let version = incident.version;
      let at = recordedAt;
      const span = Math.min(age, 10 * DAY);
      for (const step of steps) {
        at = Math.min(now, at + Math.round((span / (steps.length + 1)) * (0.5 + rnd())));
        const change = store.transition(incident.id, version, step, actor, at);
        version = change.incident.version;
      }
    }
    return count;
  });
}
