import MiniSearch from 'minisearch';

/**
 * Matching a customer's question to the knowledge base (SPEC 3.11). Chinese has no spaces, and
 * customers rarely use the article's words, so a question and the articles are compared on what
 * survives paraphrase:
 *
 * - each text is normalised (full-width to half-width, lower case) and then *expanded* with the
 *   canonical word of every synonym group it mentions ("师傅" adds "电工", "退钱" adds "退款",
 *   "不要了" adds "取消"), the same way for articles and questions, so different words for one
 *   thing meet on the canonical one while the original words still count;
 * - Chinese runs become character bigrams (most of the signal: 上门, 门费) and single characters
 *   (a weak signal, in their own fields so they weigh less), Latin and digit runs whole words;
 * - BM25 (MiniSearch) scores the question's terms against the article's question and keywords
 *   (strongly) and its answer (weakly).
 *
 * The index is rebuilt from the active articles whenever they change (see faq.service.ts).
 */

/** Canonical word, then the ways customers say it. */
const SYNONYMS: readonly (readonly [string, readonly string[]])[] = [
  ['费用', ['多少钱', '价钱', '价格', '收费', '花多少', '要钱', '收钱', '贵不贵', '几块钱', '费']],
  [
    '上门费',
    ['上门要钱', '上门收钱', '来一趟', '跑一趟', '出车费', '过来要钱', '过来收', '上门收费', '上门要', '额外给钱', '额外收'],
  ],
  ['退款', ['退钱', '钱退', '退回', '退费', '返还', '把钱退', '退给我']],
  ['发票', ['开票', '票据', '报销', '税号', '抬头']],
  ['取消', ['不要了', '不修了', '不用来了', '撤单', '退单', '别来了', '不想修', '不需要了', '取消掉', '撤销']],
  [
    '到达',
    [
      '多久到',
      '什么时候到',
      '什么时候来',
      '多久来',
      '几点到',
      '几点来',
      '来得',
      '过来',
      '上门时间',
      '多快',
      '能来',
      '能到',
      '多长时间到',
      '多长时间来',
    ],
  ],
  ['迟到', ['没来', '还没到', '还没来', '迟迟', '不来', '晚到', '没到', '晚了', '放鸽子', '爽约', '约好的时间']],
  ['保修', ['质保', '保修期', '又坏', '再坏', '返修', '又出问题', '修好没多久', '保多久', '管多久', '又不亮', '又跳闸']],
  ['投诉', ['举报', '维权', '告你们', '反映问题', '态度差', '态度不好', '态度很差', '不满意', '服务差']],
  ['付款', ['支付', '付钱', '交钱', '买单', '结账', '付费']],
  ['失败', ['付不了', '付不上', '不成功', '失败了', '没成功', '出错', '报错', '扣了钱', '扣款']],
  ['提现', ['取钱', '提钱', '转出', '提出来', '取出来', '拿到钱', '收入到账', '挣的钱']],
  ['注销', ['销户', '删除账号', '删号', '注销掉', '不想用了', '账号删', '删掉账号']],
  ['地址', ['位置', '门牌', '住址', '定位']],
  ['修改', ['改', '更改', '变更', '换成', '写错']],
  ['联系', ['打电话', '电话', '找到他', '找到电工', '沟通', '发消息', '聊天']],
  ['隐私', ['泄露', '泄漏', '个人信息', '号码', '信息安全', '被别人看到', '能看到我', '看到我家']],
  ['夜间', ['晚上', '半夜', '凌晨', '深夜', '夜里']],
  ['节假日', ['周末', '过年', '春节', '国庆', '假期', '放假', '节日']],
  ['指定', ['自己选', '挑一个', '选一个', '点名', '上次那个', '同一个', '熟悉的']],
  ['配件', ['材料', '零件', '器材', '元件', '开关插座']],
  ['报价', ['要价', '开价', '报的价', '价格高', '太贵', '乱收费', '坑人', '宰人']],
  ['评价', ['评论', '打分', '差评', '好评', '评分']],
  ['入驻', ['成为电工', '加盟', '接活', '当电工', '加入平台', '注册成电工', '来你们这干']],
  ['下单', ['报修', '叫人', '预约维修', '找人修', '叫个电工', '提交订单']],
  ['服务费', ['抽成', '提成', '佣金', '分成', '扣多少']],
  ['接单', ['没人接', '无人接', '没有人接', '接我的单']],
];

/**
 * Characters and pairs too common to tell articles apart: question words and particles, and the
 * platform's own generic words (every article is about electricians, orders and the platform; a
 * question naming 师傅 is not therefore about any one of them).
 */
const STOP_UNIGRAMS = new Set([
  ...'的了吗呢啊吧呀我你他她它是在有和就都也要会能可以这那个么怎什请问下一们吗嘛哦呗还又把给让被对电工师傅单订台',
]);
const STOP_BIGRAMS = new Set([
  ...['怎么', '什么', '可以', '一下', '请问', '你们', '我们', '我的', '是不', '不是', '这个', '那个', '如何', '多少', '能不'],
  ...['不能', '一个', '的话', '就是', '还是', '有没', '没有', '时候', '么时', '大概', '多久', '多长', '长时', '时间'],
  ...['电工', '师傅', '订单', '工单', '平台', '维修工', '修理'],
]);

const CJK = /[\u3400-\u9fff]/;

/** Full-width to half-width, lower case, without whitespace or punctuation. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The text with the canonical word of each synonym group it mentions appended. */
export function expand(text: string): string {
  const n = normalize(text);
  const extra = SYNONYMS.filter(([canonical, variants]) => !n.includes(canonical) && variants.some((v) => n.includes(v))).map(
    ([canonical]) => canonical,
  );
  return extra.length ? `${n} ${extra.join(' ')}` : n;
}

/** Runs of Chinese characters and runs of Latin letters or digits. */
function runs(text: string): string[] {
  return text.match(/[\u3400-\u9fff]+|[a-z0-9]+/g) ?? [];
}

export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of runs(text)) {
    if (!CJK.test(run)) {
      out.push(run);
      continue;
    }
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = chars[i]! + chars[i + 1]!;
      if (!STOP_BIGRAMS.has(pair)) out.push(pair);
    }
  }
  return out;
}

export function unigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of runs(text)) {
    if (!CJK.test(run)) continue;
    for (const ch of run) if (!STOP_UNIGRAMS.has(ch)) out.push(ch);
  }
  return out;
}

export interface Indexed {
  id: number;
  question: string;
  keywords: string[];
  answer: string;
}

export interface Match {
  id: number;
  score: number;
}

type Field = 'qBi' | 'qUni' | 'kwBi' | 'kwUni' | 'aBi';
const FIELDS: Field[] = ['qBi', 'qUni', 'kwBi', 'kwUni', 'aBi'];
/** Bigrams of the question and keywords carry the match; single characters and the answer help break ties. */
const BOOST: Record<Field, number> = { qBi: 3, kwBi: 3, qUni: 0.6, kwUni: 0.6, aBi: 0.5 };

/** An in-memory index over a set of articles; built whole (a knowledge base is tens to hundreds of articles). */
export function buildIndex(articles: readonly Indexed[]) {
  const search = new MiniSearch<Indexed>({
    fields: FIELDS,
    storeFields: [],
    extractField: (doc, field) => {
      switch (field as Field | 'id') {
        case 'qBi':
        case 'qUni':
          return expand(doc.question);
        case 'kwBi':
        case 'kwUni':
          return doc.keywords.map(expand).join(' ');
        case 'aBi':
          return expand(doc.answer);
        default:
          return String(doc.id);
      }
    },
    tokenize: (text, field) => (field?.endsWith('Uni') ? unigrams(text) : bigrams(text)),
    processTerm: (term) => term,
    searchOptions: {
      boost: BOOST,
      combineWith: 'OR',
      tokenize: (text) => [...bigrams(text), ...unigrams(text)],
      processTerm: (term) => term,
    },
  });
  search.addAll(articles);

  return {
    size: articles.length,
    /** The best articles for a question, best first. */
    match(question: string, limit: number): Match[] {
      const query = expand(question);
      if (!query.trim()) return [];
      return search
        .search(query)
        .slice(0, limit)
        .map((r) => ({ id: Number(r.id), score: Math.round(r.score * 100) / 100 }));
    },
  };
}

export type FaqIndex = ReturnType<typeof buildIndex>;

/** Words that ask for a person rather than an answer. */
const HUMAN = /人工|客服|真人|投诉|转人|找人工|活人|经理|负责人/;
export const asksForPerson = (question: string) => HUMAN.test(normalize(question));
