import { history, markConversationRead, sendMessage, type ChatMessage } from '../../../services/chat';
import { choosePhotos, fileUrl, uploadImage } from '../../../services/files';
import { realtime } from '../../../services/realtime';
import { session } from '../../../stores/session';
import { formatTime } from '../../../utils/format';

const PAGE_SIZE = 20;
/** At most one typing signal per this many ms; the peer's indicator fades after TYPING_SHOW_MS. */
const TYPING_EVERY_MS = 3000;
const TYPING_SHOW_MS = 4000;

interface Bubble {
  id: number;
  key: string;
  mine: boolean;
  system: boolean;
  type: ChatMessage['type'];
  text: string;
  imageUrl: string;
  timeText: string;
  pending: boolean;
}

function bubble(m: ChatMessage, me: number): Bubble {
  return {
    id: m.id,
    key: `m${m.id}`,
    mine: m.senderId === me,
    system: m.type === 'system' || m.type === 'order-card',
    type: m.type,
    text: m.type === 'image' ? '' : m.content,
    imageUrl: m.image ? fileUrl(m.image.url) : '',
    timeText: formatTime(m.createdAt),
    pending: false,
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
  },
  methods: {
    hidden(): Hidden {
      const self = this as unknown as { _h?: Hidden };
      self._h ??= { offs: [], lastTypingAt: 0 };
      return self._h;
    },
    onLoad(query: Record<string, string | undefined>): void {
      const me = session.getUser()?.id ?? 0;
      this.setData({ conversationId: Number(query.conversationId) || 0, me });
      if (query.title) wx.setNavigationBarTitle({ title: decodeURIComponent(query.title) });
      const h = this.hidden();
      h.offs.push(
        realtime.on('new-message', (m) => {
          if (m.conversationId !== this.data.conversationId) return;
          this.append([m]);
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
      for (const m of list) byId.set(m.id, bubble(m, this.data.me));
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
      const placeholder: Bubble = {
        id: 0,
        key: `p${clientId}`,
        mine: true,
        system: false,
        type,
        text: preview.text,
        imageUrl: preview.imageUrl,
        timeText: '',
        pending: true,
      };
      this.setData({ messages: [...this.data.messages, placeholder], scrollTo: placeholder.key });
      try {
        const stored = await sendMessage(this.data.conversationId, { type, content, clientId });
        this.append([stored]);
        return true;
      } catch {
        this.setData({ messages: this.data.messages.filter((m) => m.key !== placeholder.key) });
        return false;
      }
    },
    async onSend(): Promise<void> {
      const text = this.data.draft.trim();
      if (!text || this.data.sending) return;
      this.setData({ sending: true });
      const sent = await this.send('text', text, { text, imageUrl: '' });
      this.setData({ sending: false, ...(sent ? { draft: '' } : {}) });
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
