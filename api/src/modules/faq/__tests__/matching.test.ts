import { describe, expect, it } from 'vitest';
import { STARTER_ARTICLES } from '../../../../../seeds/07_faq';
import { asksForPerson, bigrams, buildIndex, expand, unigrams } from '../faq.search';
import { ANSWERED } from '../faq.service';
import { FRESH, HELD_OUT, OFF_TOPIC, PARAPHRASES } from './paraphrases';

const articles = STARTER_ARTICLES.map(([, question, answer, keywords], i) => ({ id: i + 1, question, answer, keywords }));
const index = buildIndex(articles);
const idOf = (question: string) => articles.find((a) => a.question === question)!.id;

/** Top-1 accuracy over a labelled set, with the misses for the report. */
function accuracy(set: readonly (readonly [string, string])[]) {
  const misses = set.filter(([asked, article]) => index.match(asked, 3)[0]?.id !== idOf(article));
  return { correct: set.length - misses.length, total: set.length, rate: (set.length - misses.length) / set.length, misses };
}

describe('matching questions to the knowledge base', () => {
  it('when Chinese text is tokenised, then runs become character bigrams and characters, Latin words stay whole, and question words are dropped', () => {
    expect(bigrams(expand('上门费怎么算 WiFi'))).toEqual(['上门', '门费', '费怎', '么算', 'wifi', '费用']);
    expect(unigrams('上门费怎么算')).toEqual(['上', '门', '费', '算']);
    expect(expand('师傅来一趟要多少钱？')).toContain('上门费');
    expect(expand('我不要了')).toContain('取消');
    expect(expand('ＡＢＣ，退钱！')).toBe('abc退钱 退款');
  });

  it('when every starter article is asked in its own words, then it is its own best match', () => {
    for (const a of articles) expect(index.match(a.question, 1)[0]?.id, a.question).toBe(a.id);
  });

  it('when the labelled paraphrases are asked, then the right article comes first for at least 85% of them', () => {
    const r = accuracy(PARAPHRASES);
    process.stdout.write(
      `FAQ matching: top-1 accuracy ${(r.rate * 100).toFixed(1)}% (${r.correct}/${r.total} labelled paraphrases)${r.misses.length ? `; misses: ${r.misses.map(([q]) => q).join(' | ')}` : ''}\n`,
    );
    expect(PARAPHRASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(PARAPHRASES.map(([asked]) => asked)).size).toBe(PARAPHRASES.length);
    // Paraphrases, not copies: no labelled question is an article's own question.
    for (const [asked] of [...PARAPHRASES, ...HELD_OUT]) expect(articles.map((a) => a.question)).not.toContain(asked);
    expect(r.rate).toBeGreaterThanOrEqual(0.85);
  });

  it('when questions written after the synonyms were settled are asked (one general change followed), then the right article still comes first for at least 75% of them', () => {
    const r = accuracy(HELD_OUT);
    process.stdout.write(
      `FAQ matching (held out): top-1 accuracy ${(r.rate * 100).toFixed(1)}% (${r.correct}/${r.total}); misses: ${r.misses.map(([q]) => q).join(' | ')}\n`,
    );
    expect(r.rate).toBeGreaterThanOrEqual(0.75);
  });

  it('when questions written after all tuning are asked, then the right article comes first for at least 75% of them', () => {
    const r = accuracy(FRESH);
    const untuned = accuracy([...HELD_OUT, ...FRESH]);
    process.stdout.write(
      `FAQ matching (fresh): top-1 accuracy ${(r.rate * 100).toFixed(1)}% (${r.correct}/${r.total}); all questions written after the synonyms: ${(untuned.rate * 100).toFixed(1)}% (${untuned.correct}/${untuned.total})\n`,
    );
    for (const [asked] of FRESH) expect(articles.map((a) => a.question)).not.toContain(asked);
    expect(r.rate).toBeGreaterThanOrEqual(0.75);
  });

  it('when a question is off topic or a greeting, then nothing scores as answered', () => {
    for (const q of [...OFF_TOPIC, '你好', '在吗', '谢谢']) expect(index.match(q, 1)[0]?.score ?? 0, q).toBeLessThan(ANSWERED);
  });

  it('when a question asks for a person, then that is recognised', () => {
    for (const q of ['转人工', '我要找客服', '有没有真人', '我要投诉']) expect(asksForPerson(q), q).toBe(true);
    for (const q of ['上门费多少', '退款多久到账']) expect(asksForPerson(q), q).toBe(false);
  });
});
