import {
  customerService,
  history,
  markConversationRead,
  sendMessage,
  type ChatMessage,
  type Conversation,
} from '../../../services/chat';
import { askBot, escalate, faqArticles, faqFeedback, type FaqArticle } from '../../../services/faq';
import { listOrders } from '../../../services/orders';
import { choosePhotos, fileUrl, uploadImage } from '../../../services/files';
import { realtime } from '../../../services/realtime';
import { session } from '../../../stores/session';
import { formatTime } from '../../../utils/format';

const PAGE_SIZE = 20;
/** How many questions the customer-service welcome card offers. */
const SUGGESTIONS = 6;
/** The customer-service conversation's state, in the words of its banner. */
const SERVICE_BANNER: Record<NonNullable<Conversation['status']>, string> = {
  bot: '智能客服为您解答 · 随时可转人工',
  waiting_agent: '已为您转接人工客服，接入前可继续留言',
  with_agent: '人工客服为您服务',
};
/** Orders a customer may complain about from the conversation: the ones that were done and paid. */
const COMPLAINABLE_LIMIT = 6;
/** At most one typing signal per this many ms; the peer's indicator fades after TYPING_SHOW_MS. */
const TYPING_EVERY_MS = 3000;
const TYPING_SHOW_MS = 4000;

/** An article a bot answer quotes, as a card; `vote` is this phone's 有帮助/没帮助 on it. */
interface Card {
  faqId: number;
  question: string;
  answer: string;
}

interface Bubble {
  id: number;
  key: string;
  mine: boolean;
  system: boolean;
  /** The knowledge base's answer: cards for its articles (the best one first), and whether it suggests a person. */
  bot: boolean;
  cards: Card[];
  suggestHuman: boolean;
  type: ChatMessage['type'];
  text: string;
  imageUrl: string;
  timeText: string;
  pending: boolean;
}

function bubble(m: ChatMessage, me: number, articles: Record<number, Card>): Bubble {
  const bot = m.senderRole === 'bot';
  const cards = bot ? (m.meta?.faqIds ?? []).map((id) => articles[id]).filter((c): c is Card => Boolean(c)) : [];
  return {
    id: m.id,
    key: `m${m.id}`,
    mine: m.senderId === me && !bot,
    system: m.type === 'system' || m.type === 'order-card' || m.senderRole === 'system',
    bot,
    cards,
    suggestHuman: bot && (m.meta?.suggestHuman ?? false),
    type: m.type,
    text: m.type === 'image' ? '' : m.content,
    imageUrl: m.image ? fileUrl(m.image.url) : '',
    timeText: formatTime(m.createdAt),
    pending: false,
  };
}

/** My message on its way (`p<clientId>`), shown until the stored one replaces it. */
function sendingBubble(clientId: string, type: Bubble['type'], preview: { text: string; imageUrl: string }): Bubble {
  return {
    id: 0,
    key: `p${clientId}`,
    mine: true,
    system: false,
    bot: false,
    cards: [],
    suggestHuman: false,
    type,
    text: preview.text,
    imageUrl: preview.imageUrl,
    timeText: '',
    pending: true,
  };
}

let clientSeq = 0;
const newClientId = () => `c${Date.now().toString(36)}${(clientSeq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

interface Hidden {
  offs: (() => void)[];
  lastTypingAt: number;
  typingTimer?: ReturnType<typeof setTimeout>;
}

Component({
  data: {
    conversationId: 0,
    me: 0,
    loading: true,
    error: '',
    messages: [] as Bubble[],
    /** Cursor for older messages (the oldest loaded id); null when none are left. */
    before: null as number | null,
    loadingOlder: false,
    draft: '',
    sending: false,
    peerTyping: false,
    /** The highest message id another participant has read (live read receipts). */
    peerReadUpTo: 0,
    scrollTo: '',
    /** The customer-service conversation (`?service=1`): the bot answers first, then a person. */
    service: false,
    serviceStatus: 'bot' as NonNullable<Conversation['status']>,
    banner: '',
    articles: {} as Record<number, Card>,
    suggestions: [] as Card[],
    /** My vote on each article quoted here (true: 有帮助). */
    votes: {} as Record<number, boolean>,
    asking: false,
  },
  methods: {
    hidden(): Hidden {
      const self = this as unknown as { _h?: Hidden };
      self._h ??= { offs: [], lastTypingAt: 0 };
      return self._h;
    },
    onLoad(query: Record<string, string | undefined>): void {
      const me = session.getUser()?.id ?? 0;
      this.setData({ conversationId: Number(query.conversationId) || 0, me, service: query.service === '1' });
      if (query.title) wx.setNavigationBarTitle({ title: decodeURIComponent(query.title) });
      else if (query.service === '1') wx.setNavigationBarTitle({ title: '在线客服' });
      const h = this.hidden();
      h.offs.push(
        realtime.on('new-message', (m) => {
          if (m.conversationId !== this.data.conversationId) return;
          this.append([m]);
          // An agent's first reply: the banner names who picked the conversation up.
          if (this.data.service && m.senderRole === 'admin' && this.data.serviceStatus !== 'with_agent') void this.loadService();
          if (m.senderId !== this.data.me) {
            this.setData({ peerTyping: false });
            void this.markRead();
          }
        }),
        realtime.on('message-read', (r) => {
          if (
            r.conversationId === this.data.conversationId &&
            r.userId !== this.data.me &&
            r.upToMessageId > this.data.peerReadUpTo
          )
            this.setData({ peerReadUpTo: r.upToMessageId });
        }),
        realtime.on('typing', (t) => {
          if (t.conversationId !== this.data.conversationId || t.userId === this.data.me) return;
          this.setData({ peerTyping: true });
          if (h.typingTimer) clearTimeout(h.typingTimer);
          h.typingTimer = setTimeout(() => this.setData({ peerTyping: false }), TYPING_SHOW_MS);
        }),
        // Messages sent while the socket was down are not replayed: re-read the latest page.
        realtime.onStatus((s) => {
          if (s === 'connected' && !this.data.loading) void this.syncLatest();
        }),
      );
      realtime.connect();
    },
    onUnload(): void {
      const h = this.hidden();
      h.offs.forEach((off) => off());
      h.offs = [];
      if (h.typingTimer) clearTimeout(h.typingTimer);
    },
    onShow(): void {
      if (this.data.messages.length === 0) void this.load();
      else void this.syncLatest();
    },
    async load(): Promise<void> {
      if (!this.data.conversationId) {
        this.setData({ loading: false, error: '会话不存在' });
        return;
      }
      this.setData({ loading: true, error: '' });
      try {
        if (this.data.service) await this.loadService(true);
        const page = await history(this.data.conversationId, { limit: PAGE_SIZE });
        this.setData({ loading: false, messages: [], before: page.nextCursor });
        this.append(page.data);
        void this.markRead();
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    /** Merges messages (any order) into the list, oldest first, without duplicates; scrolls to the newest. */
    append(list: ChatMessage[]): void {
      const byId = new Map(this.data.messages.filter((m) => !m.pending).map((m) => [m.id, m]));
      for (const m of list) byId.set(m.id, bubble(m, this.data.me, this.data.articles));
      const pending = this.data.messages.filter((m) => m.pending && !list.some((x) => `p${x.clientId ?? ''}` === m.key));
      const messages = [...byId.values()].sort((a, b) => a.id - b.id).concat(pending);
      const last = messages[messages.length - 1];
      this.setData({ messages, scrollTo: last ? last.key : '' });
    },
    async syncLatest(): Promise<void> {
      try {
        const page = await history(this.data.conversationId, { limit: PAGE_SIZE });
        this.append(page.data);
        void this.markRead();
      } catch {
        // request.ts has shown the error; what is on screen stays.
      }
    },
    async onLoadOlder(): Promise<void> {
      if (this.data.before === null || this.data.loadingOlder) return;
      this.setData({ loadingOlder: true });
      try {
        const page = await history(this.data.conversationId, { before: this.data.before, limit: PAGE_SIZE });
        const keep = this.data.scrollTo;
        this.append(page.data);
        this.setData({ before: page.nextCursor, scrollTo: page.data.length ? `m${page.data[0].id}` : keep });
      } catch {
        // request.ts has shown the error; pulling again retries.
      } finally {
        this.setData({ loadingOlder: false });
      }
    },
    /** Read receipt up to the newest message from someone else. */
    async markRead(): Promise<void> {
      const theirs = this.data.messages.filter((m) => !m.mine && !m.pending);
      const newest = theirs[theirs.length - 1];
      if (!newest) return;
      try {
        await markConversationRead(this.data.conversationId, newest.id);
      } catch {
        // Silent: the receipt is sent again with the next message or visit.
      }
    },
    onInput(e: WechatMiniprogram.Input): void {
      this.setData({ draft: e.detail.value });
      const h = this.hidden();
      const now = Date.now();
      if (now - h.lastTypingAt >= TYPING_EVERY_MS && e.detail.value) {
        h.lastTypingAt = now;
        realtime.emit('typing', { conversationId: this.data.conversationId }).catch(() => undefined);
      }
    },
    async send(type: 'text' | 'image', content: string, preview: { text: string; imageUrl: string }): Promise<boolean> {
      const clientId = newClientId();
      const sending = sendingBubble(clientId, type, preview);
      this.setData({ messages: [...this.data.messages, sending], scrollTo: sending.key });
      try {
        const stored = await sendMessage(this.data.conversationId, { type, content, clientId });
        this.append([stored]);
        return true;
      } catch {
        this.setData({ messages: this.data.messages.filter((m) => m.key !== sending.key) });
        return false;
      }
    },
    async onSend(): Promise<void> {
      const text = this.data.draft.trim();
      if (!text || this.data.sending) return;
      this.setData({ sending: true });
      const sent =
        this.data.service && this.data.serviceStatus === 'bot'
          ? await this.ask(text)
          : await this.send('text', text, { text, imageUrl: '' });
      this.setData({ sending: false, ...(sent ? { draft: '' } : {}) });
    },
    /** The conversation's state and the knowledge base (for the bot's cards and the welcome questions). */
    async loadService(withArticles = false): Promise<void> {
      const [conversation, list] = await Promise.all([
        customerService(),
        withArticles ? faqArticles({}, { silent: true }) : Promise.resolve(null),
      ]);
      const status = conversation.status ?? 'bot';
      const banner =
        status === 'with_agent' && conversation.assigneeName
          ? `人工客服「${conversation.assigneeName}」为您服务`
          : SERVICE_BANNER[status];
      this.setData({ serviceStatus: status, banner });
      if (list) {
        const articles: Record<number, Card> = {};
        for (const a of list as FaqArticle[]) articles[a.id] = { faqId: a.id, question: a.question, answer: a.answer };
        this.setData({ articles, suggestions: Object.values(articles).slice(0, SUGGESTIONS) });
      }
    },
    /** Asks the bot: my question and its answer come back as messages of the conversation. */
    async ask(question: string): Promise<boolean> {
      const asked = sendingBubble(newClientId(), 'text', { text: question, imageUrl: '' });
      this.setData({ messages: [...this.data.messages, asked], scrollTo: asked.key, asking: true });
      try {
        await askBot(question);
        await this.syncLatest();
        return true;
      } catch {
        return false;
      } finally {
        this.setData({ messages: this.data.messages.filter((m) => m.key !== asked.key), asking: false });
      }
    },
    onSuggestion(e: WechatMiniprogram.BaseEvent): void {
      const card = this.data.articles[Number(e.currentTarget.dataset.id)];
      if (card && !this.data.asking) void this.ask(card.question);
    },
    async onVote(e: WechatMiniprogram.BaseEvent): Promise<void> {
      const faqId = Number(e.currentTarget.dataset.id);
      const helpful = e.currentTarget.dataset.helpful === true || e.currentTarget.dataset.helpful === 'true';
      this.setData({ [`votes.${faqId}`]: helpful });
      try {
        await faqFeedback(faqId, helpful);
        wx.showToast({ title: helpful ? '感谢您的反馈' : '已收到，我们会改进这条回答', icon: 'none' });
      } catch {
        const votes = { ...this.data.votes };
        delete votes[faqId];
        this.setData({ votes });
      }
    },
    async onEscalate(): Promise<void> {
      if (this.data.serviceStatus !== 'bot') return;
      try {
        await escalate();
        await this.loadService();
        await this.syncLatest();
      } catch {
        // request.ts showed the API's words.
      }
    },
    /** 投诉订单: one of my done orders, then the complaint form, which files it from this conversation. */
    async onComplain(): Promise<void> {
      const done = await listOrders({ status: 'completed', limit: COMPLAINABLE_LIMIT }).catch(() => null);
      const orders = (done?.data ?? []).filter((o) => o.paymentStatus !== 'unpaid');
      if (orders.length === 0) {
        wx.showModal({
          title: '没有可投诉的订单',
          content: '订单完成并支付后可以投诉；其他问题可以直接告诉客服。',
          showCancel: false,
        });
        return;
      }
      wx.showActionSheet({
        itemList: orders.map((o) => `${o.title} · ${o.orderNo.slice(-6)}`),
        success: (res) =>
          wx.navigateTo({ url: `/pages/user/complaint/complaint?orderId=${orders[res.tapIndex].id}&via=service` }),
      });
    },
    async onSendImage(): Promise<void> {
      const [path] = await choosePhotos(1);
      if (!path) return;
      try {
        const uploaded = await uploadImage(path, 'chat');
        await this.send('image', String(uploaded.id), { text: '', imageUrl: fileUrl(uploaded.url) });
      } catch {
        // request.ts has shown the upload error.
      }
    },
    onPreview(e: WechatMiniprogram.BaseEvent): void {
      const url = String(e.currentTarget.dataset.url);
      wx.previewImage({ urls: this.data.messages.filter((m) => m.imageUrl).map((m) => m.imageUrl), current: url });
    },
  },
});
