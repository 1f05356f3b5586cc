/**
 * Synthetic incident histories for the store benchmark, in the style of the Guishan demo
 * (electron/core/demo/guishan.ts) but with far more variety, so the full-text index sees a
 * realistic spread of bigrams: places × title templates × numbers, many reporters, units,
 * comments. Deterministic (seeded PRNG). Every value has the shape the contract's parser would
 * produce (defaults filled in), because the store is called directly with parsed input.
 */
import { SEED_CATEGORIES, commands, type IncidentSource, type ParsedInput, type Priority } from '@shared';

export type Draft = ParsedInput<'incidents.create'>['draft'];
export type Step = ParsedInput<'incidents.transition'>['transition'];
export type Patch = ParsedInput<'incidents.update'>['patch'];

/** Any valid id, for parsing inputs whose id does not matter. */
export const PLACEHOLDER_ID = '0190a4f2-0000-7000-8000-000000000000';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Anchor points on Guishan Island and around (approximate WGS84); the minor ones are invented. */
const PLACES: readonly { name: string; lon: number; lat: number }[] = [
  { name: '桂山码头', lon: 113.8236, lat: 22.1352 },
  { name: '桂山村', lon: 113.8208, lat: 22.1339 },
  { name: '企湾', lon: 113.8143, lat: 22.1298 },
  { name: '大坑湾', lon: 113.8277, lat: 22.1296 },
  { name: '镇政府广场', lon: 113.8221, lat: 22.1367 },
  { name: '桂山渔港', lon: 113.8252, lat: 22.1381 },
  { name: '海滨栈道', lon: 113.8179, lat: 22.1372 },
  { name: '中心洲', lon: 113.7975, lat: 22.1504 },
  { name: '牛头岛', lon: 113.853, lat: 22.138 },
  { name: '文天祥公园', lon: 113.8198, lat: 22.1385 },
  { name: '桂山中学', lon: 113.8213, lat: 22.1329 },
  { name: '桂山小学', lon: 113.8226, lat: 22.1321 },
  { name: '镇卫生院', lon: 113.8231, lat: 22.1344 },
  { name: '渔民新村', lon: 113.8262, lat: 22.1333 },
  { name: '环岛路', lon: 113.8155, lat: 22.1351 },
  { name: '观景台', lon: 113.8122, lat: 22.1402 },
  { name: '避风塘', lon: 113.8271, lat: 22.1362 },
  { name: '老街', lon: 113.8217, lat: 22.1346 },
  { name: '民宿区', lon: 113.8189, lat: 22.1318 },
  { name: '客运站', lon: 113.8241, lat: 22.1358 },
  { name: '加油站', lon: 113.8285, lat: 22.1371 },
  { name: '垃圾中转站', lon: 113.8302, lat: 22.1312 },
  { name: '风电场', lon: 113.8088, lat: 22.1265 },
  { name: '东湾沙滩', lon: 113.8318, lat: 22.1289 },
  { name: '西湾', lon: 113.8104, lat: 22.1311 },
  { name: '南堤', lon: 113.8247, lat: 22.1277 },
  { name: '北堤', lon: 113.8233, lat: 22.1412 },
  { name: '灯塔', lon: 113.8359, lat: 22.1433 },
  { name: '三角山', lon: 113.8166, lat: 22.1284 },
  { name: '大排档一条街', lon: 113.8229, lat: 22.1361 },
  { name: '冷库', lon: 113.8268, lat: 22.1392 },
  { name: '水厂', lon: 113.8137, lat: 22.1339 },
];

interface Template {
  category: string;
  weight: number;
  source: IncidentSource;
  priority: Priority;
  titles: readonly string[];
  descriptions: readonly string[];
}

// {p} place, {n} small number, {b} boat number, {m} amount (万元), {h} house number.
const TEMPLATES: readonly Template[] = [
  {
    category: 'illegal_landing',
    weight: 5,
    source: 'camera_alarm',
    priority: 1,
    titles: [
      '{p}发现可疑快艇高速靠岸',
      '{p}监控发现{n}人夜间登岸后离开',
      '{p}岸线越界告警：不明人员登岸',
      '{p}无号小艇凌晨靠泊',
      '{p}礁石区发现陌生人员徘徊',
      '{p}红外告警：夜间有人涉水上岸',
    ],
    descriptions: ['视频监控室值班员发现可疑情况，已截图留存，请派出所核查。', '岸线监控触发越界告警，画面显示{n}名人员，已通知边防派出所。'],
  },
  {
    category: 'smuggling',
    weight: 5,
    source: 'camera_alarm',
    priority: 2,
    titles: [
      '{p}附近海域可疑船只夜间卸货',
      '{p}发现疑似走私冻品转运',
      '{p}渔船粤珠渔{b}异常靠泊，疑似走私',
      '{p}冷链车辆深夜频繁进出',
      '{p}发现成箱香烟来源不明',
      '{p}快艇与大船海上过驳',
    ],
    descriptions: ['监控画面显示船只无正常作业迹象，建议联合海警核查。', '群众举报有人深夜搬运货物约{n}箱，已固定视频证据。'],
  },
  {
    category: 'public_security',
    weight: 14,
    source: 'phone',
    priority: 2,
    titles: [
      '{p}酒后滋事，群众电话报警',
      '{p}游客财物被盗',
      '{p}夜间噪音扰民投诉',
      '{p}{n}名游客发生口角推搡',
      '{p}电动车电瓶被盗',
      '{p}有人兜售假冒海产品',
      '{p}醉酒人员倒地需救助',
    ],
    descriptions: ['群众来电反映，值班员已记录来电人信息。', '报警人称现场约{n}人围观，请派出所出警。'],
  },
  {
    category: 'dispute',
    weight: 20,
    source: 'grid_report',
    priority: 3,
    titles: [
      '{p}邻里宅基地边界纠纷',
      '{p}渔船泊位使用纠纷',
      '{p}民宿经营者与租户租金纠纷',
      '{p}家庭赡养纠纷',
      '{p}{h}号楼漏水引发邻里矛盾',
      '{p}渔网损坏赔偿纠纷',
      '{p}土地承包合同纠纷',
      '{p}装修噪音引发邻里纠纷',
    ],
    descriptions: ['网格员上报，当事双方情绪较激动，需村调委会介入调解。', '当事双方各执一词，涉及金额约{m}万元，建议人民调解。'],
  },
  {
    category: 'petition',
    weight: 7,
    source: 'walk_in_petition',
    priority: 2,
    titles: [
      '食堂承包欠款{m}万元，三方来访',
      '{p}渔民补偿款发放问题来访',
      '务工人员工资拖欠集体来访',
      '{p}征地补偿标准信访',
      '{p}养殖户海域使用权来访',
      '{n}名村民反映{p}环境整治问题',
    ],
    descriptions: ['来访群众到综治中心反映诉求，已登记来访批次与人数。', '来访{n}人，诉求涉及金额{m}万元，已按程序登记受理。'],
  },
  {
    category: 'safety_hazard',
    weight: 18,
    source: 'grid_report',
    priority: 3,
    titles: [
      '{p}护栏松动存在坠落隐患',
      '{p}电动车楼道充电',
      '{p}山体边坡落石隐患',
      '{p}液化气瓶露天存放',
      '{p}{h}号民房外墙脱落',
      '{p}电线私拉乱接',
      '{p}井盖缺失',
      '{p}临时搭建物未加固，台风前需处置',
    ],
    descriptions: ['网格员日常巡查发现，已拍照上报。', '隐患点位于{p}，影响约{n}户居民，建议限期整改。'],
  },
  {
    category: 'fire',
    weight: 5,
    source: 'phone',
    priority: 1,
    titles: ['{p}杂草起火', '{p}民房厨房冒烟', '{p}垃圾堆燃烧', '{p}渔船机舱冒烟', '{p}电动车充电起火', '{p}山林火情'],
    descriptions: ['群众报告，已通知微型消防站。', '火情面积约{n}平方米，微型消防站已出动。'],
  },
  {
    category: 'traffic',
    weight: 12,
    source: 'grid_report',
    priority: 3,
    titles: [
      '{p}路口车辆乱停放',
      '{p}道路塌陷影响通行',
      '{p}电动三轮车违规载客',
      '{p}两车剐蹭发生争执',
      '{p}货车占道装卸',
      '{p}路面积水',
    ],
    descriptions: ['网格员巡查发现，需交通管理部门处置。', '现场车辆约{n}辆，已劝导疏散。'],
  },
  {
    category: 'epidemic',
    weight: 4,
    source: 'city_directive',
    priority: 2,
    titles: [
      '市指挥部通报：入境人员健康监测',
      '{p}外来船员健康申报核查',
      '密接人员转运隔离点',
      '{p}核酸采样点秩序维护',
      '{p}发热病人排查',
    ],
    descriptions: ['按上级指令落实健康监测与隔离措施。', '涉及人员{n}名，已落实居家健康监测。'],
  },
  {
    category: 'other',
    weight: 10,
    source: 'phone',
    priority: 4,
    titles: ['{p}路灯不亮', '{p}流浪犬伤人隐患', '{p}公共厕所无水', '{p}垃圾清运不及时', '{p}广告牌破损', '{p}自来水管爆裂'],
    descriptions: ['群众来电反映，转相关部门处理。', '涉及{p}附近约{n}户，已通知责任单位。'],
  },
];

const EXTRAS = [
  '报警人电话尾号{t}。',
  '船号粤珠渔{b}。',
  '车牌粤C{t}。',
  '附现场照片{n}张。',
  '网格编号GS-G{g}。',
  '已同步至市平台。',
  '',
  '',
];

const SURNAMES = [...'陈黄李林张梁吴何周郑罗谭冯邓曾许苏卢蔡杨'];
const GIVEN = ['海生', '伟明', '秀英', '国强', '丽华', '志坚', '晓玲', '少华', '敏', '家豪', '美玲', '建华', '桂芳', '德胜', '永强', '嘉欣', '子轩', '淑贞', '锦泉', '亚妹'];
const UNITS = ['桂山派出所', '桂山边防派出所', '镇综合执法队', '桂山村委会', '镇人民调解委员会', '镇应急办', '镇卫生院', '镇农业农村办', '镇规划建设办', '微型消防站', '海警工作站'];
const FEEDBACK = [
  '已到场核查处置完毕，现场恢复正常。',
  '当事双方已达成调解协议并签字。',
  '隐患已整改，已复查确认。',
  '已移交派出所依法处理。',
  '经核查系误报，已做好记录。',
  '已协调责任单位在{n}日内完成维修。',
  '已督促当事人整改，网格员将持续跟进。',
];
const REJECTIONS = ['反馈材料不全，请补充现场照片。', '处置结果与群众诉求不符，请重新核实。', '请补充当事人签字的调解协议。'];
const COMMENTS = [
  '已电话联系当事人，约定上门核实。',
  '现场照片已上传。',
  '请派出所协助处置。',
  '当事人不在家，改日再访。',
  '已通报村委会。',
  '跟进中，预计{n}日内办结。',
  '值班长已阅，请加快处置。',
  '补充：{p}附近另有群众反映同类问题。',
  '天气原因暂缓，待风浪减小后处置。',
  '已与市平台核对，编号一致。',
  '群众再次来电催办。',
  '已安排网格员每日巡查。',
];
const OPERATORS = ['值班员 陈海生', '值班员 林国强', '值班员 张丽华', '值班员 吴晓玲', '值班长 梁志坚'];

export interface PlannedOp {
  at: number;
  kind: 'transition' | 'comment' | 'update';
  actor: string;
  step?: Step;
  text?: string;
  patch?: Patch;
}

export interface IncidentPlan {
  recordedAt: number;
  actor: string;
  draft: Draft;
  /** In time order; transitions are in loop order. */
  ops: PlannedOp[];
}

export interface GeneratorOptions {
  incidents: number;
  /** Events (created + transitions + comments + updates) per incident on average. */
  eventsPerIncident: number;
  end: number;
  years: number;
  seed?: number;
}

/**
 * Yields incident plans in recording order, spread over `years` before `end` with a mild upward
 * trend. Each plan holds the whole life of the incident up to `end`: recent ones are naturally still
 * open, about 3% stall on the way (open and overdue), the rest go round the loop, some with a
 * rejected feedback, a re-dispatch or a correction. Comments top the event count up to the target.
 */
export function* incidentPlans(options: GeneratorOptions): Generator<IncidentPlan> {
  const rnd = random(options.seed ?? 20221215);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const between = (lo: number, hi: number) => Math.round(lo + rnd() * (hi - lo));
  const totalWeight = TEMPLATES.reduce((s, t) => s + t.weight, 0);
  const pickTemplate = () => {
    let r = rnd() * totalWeight;
    for (const t of TEMPLATES) if ((r -= t.weight) < 0) return t;
    return TEMPLATES[TEMPLATES.length - 1]!;
  };
  const person = () => pick(SURNAMES) + pick(GIVEN);
  const fill = (text: string, place: string) =>
    text
      .replace(/\{p\}/g, place)
      .replace(/\{n\}/g, () => String(int(2, 30)))
      .replace(/\{b\}/g, () => String(int(10000, 39999)))
      .replace(/\{m\}/g, () => String(int(1, 80)))
      .replace(/\{h\}/g, () => String(int(1, 60)))
      .replace(/\{t\}/g, () => String(int(1000, 9999)))
      .replace(/\{g\}/g, () => String(int(1, 24)).padStart(2, '0'));

  const span = options.years * 365 * DAY;
  const start = options.end - span;
  // Density 1 + a·x on [0, 1] (twice as many incidents at the end as at the start); inverse CDF.
  const a = 1;
  const inverse = (y: number) => (-1 + Math.sqrt(1 + 2 * a * y * (1 + a / 2))) / a;
  let plannedEvents = 0;

  for (let i = 0; i < options.incidents; i += 1) {
    const recordedAt = Math.min(options.end - MINUTE, start + Math.round(inverse((i + rnd()) / options.incidents) * span));
    const template = pickTemplate();
    const place = pick(PLACES);
    const title = fill(pick(template.titles), place.name);
    const source: IncidentSource = rnd() < 0.005 ? 'drill' : rnd() < 0.85 ? template.source : pick(['phone', 'grid_report'] as const);
    const priority = (rnd() < 0.8 ? template.priority : Math.min(4, Math.max(1, template.priority + (rnd() < 0.5 ? -1 : 1)))) as Priority;
    const deadlineHours = defaultHours(template.category);
    const draft: Draft = {
      category: template.category,
      title,
      description: fill(pick(template.descriptions) + pick(EXTRAS), place.name),
      location: rnd() < 0.9 ? { lon: place.lon + (rnd() - 0.5) * 0.003, lat: place.lat + (rnd() - 0.5) * 0.003 } : null,
      gridId: rnd() < 0.8 ? `GS-G${String(int(1, 24)).padStart(2, '0')}` : null,
      source,
      priority,
      reporter: source === 'camera_alarm' ? '视频监控室' : person(),
      occurredAt: recordedAt - between(0, 2 * HOUR),
    };
    // A tenth get an explicit, tighter deadline (a leader's instruction).
    if (rnd() < 0.1) draft.deadline = recordedAt + between(2 * HOUR, deadlineHours * HOUR);
    const deadline = draft.deadline ?? recordedAt + deadlineHours * HOUR;
    const actor = pick(OPERATORS);

    // The loop, with times; ops beyond `end` are dropped below, so recent incidents stay open.
    const ops: PlannedOp[] = [];
    const step = (at: number, s: Step) => ops.push({ at, kind: 'transition', actor: pick(OPERATORS), step: s });
    const fast = priority === 1 ? 0.3 : 1;
    let t = recordedAt + between(2 * MINUTE, 60 * MINUTE * fast);
    const assignee = () =>
      rnd() < 0.65 ? { kind: 'unit' as const, name: pick(UNITS) } : { kind: 'grid_worker' as const, name: `网格员 ${person()}` };
    step(t, { action: 'dispatch', assignee: assignee(), note: rnd() < 0.3 ? '请尽快到场核实。' : '' });
    if (rnd() < 0.03) step((t += between(10 * MINUTE, 2 * HOUR)), { action: 'dispatch', assignee: assignee(), note: '改派：原单位不在辖区。' });
    step((t += between(10 * MINUTE, 6 * HOUR * fast)), { action: 'start', note: '' });
    // Resolution time relative to the term: most within it, some late (closed overdue).
    const resolveBy = recordedAt + Math.round(deadlineHours * HOUR * (0.15 + 1.1 * Math.pow(rnd(), 1.3)));
    step((t = Math.max(t + 20 * MINUTE, resolveBy)), { action: 'submit_feedback', result: fill(pick(FEEDBACK), place.name) });
    if (rnd() < 0.12) {
      step((t += between(1 * HOUR, 24 * HOUR)), { action: 'reject_feedback', reason: pick(REJECTIONS) });
      step((t += between(2 * HOUR, 48 * HOUR)), { action: 'submit_feedback', result: '已补充材料，处置完毕。' });
    }
    step((t += between(10 * MINUTE, 24 * HOUR)), { action: 'close', note: '' });
    if (rnd() < 0.75) {
      step((t += between(1 * HOUR, 3 * DAY)), {
        action: 'assess',
        assessment: { score: int(3, 5), comment: pick(['处置及时，群众满意。', '处置规范。', '反馈较慢，需改进。', '']) },
      });
    }
    let transitions = ops.filter((o) => o.at <= options.end).length;
    // About 3% stall somewhere before closing: open, and overdue once the term has passed.
    if (rnd() < 0.03) transitions = Math.min(transitions, int(0, 3));
    ops.length = transitions;

    // A correction before it is closed (title → the search index is rewritten).
    const lastAt = ops.length ? ops[ops.length - 1]!.at : recordedAt;
    const closed = ops.some((o) => o.step?.action === 'close');
    if (rnd() < 0.04) {
      const at = Math.min(options.end, recordedAt + between(MINUTE, 30 * MINUTE));
      const closeAt = ops.find((o) => o.step?.action === 'close')?.at ?? Infinity;
      if (at < closeAt) {
        const input = rnd() < 0.5 || priority === 1 ? { title: `${title}（更正）` } : { priority: Math.max(1, priority - 1) as Priority };
        // Through the contract's parser, exactly as the dispatcher hands it to the store.
        const patch = commands['incidents.update'].input.parse({ id: PLACEHOLDER_ID, expectedVersion: 1, patch: input }).patch;
        ops.push({ at, kind: 'update', actor, patch });
      }
    }

    // Comments fill the event count up to the target on average (a running deficit).
    const base = 1 + ops.length;
    const want = Math.round(options.eventsPerIncident * (i + 1)) - plannedEvents - base;
    const cap = 2 + 2 * transitions;
    const comments = Math.max(0, Math.min(cap, want + int(-2, 2)));
    const commentEnd = Math.min(options.end, Math.max(lastAt, deadline) + (closed ? 2 * DAY : 5 * DAY));
    for (let c = 0; c < comments; c += 1) {
      ops.push({ at: between(recordedAt + MINUTE, commentEnd), kind: 'comment', actor: pick(OPERATORS), text: fill(pick(COMMENTS), place.name) });
    }
    plannedEvents += base + comments;
    // Stable by time: transitions were pushed in loop order with increasing times.
    ops.sort((x, y) => x.at - y.at);
    yield { recordedAt, actor, draft, ops };
  }
}

const DEFAULT_HOURS = new Map(SEED_CATEGORIES.map((c) => [c.code, c.defaultDeadlineHours]));
function defaultHours(category: string): number {
  return DEFAULT_HOURS.get(category) ?? 72;
}

/** Words and phrases the search benchmark looks for (all occur in the generated titles). */
export const SEARCH_WORDS_2 = ['码头', '纠纷', '走私', '隐患', '噪音', '快艇', '欠款', '路灯', '渔船', '起火', '登岸', '被盗'];
export const SEARCH_PHRASES_4 = [
  '可疑快艇',
  '夜间卸货',
  '财物被盗',
  '噪音扰民',
  '泊位使用',
  '租金纠纷',
  '护栏松动',
  '楼道充电',
  '杂草起火',
  '道路塌陷',
  '健康监测',
  '公共厕所',
];
