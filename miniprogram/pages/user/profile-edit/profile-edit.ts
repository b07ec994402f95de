import { fileUrl, uploadImage } from '../../../services/files';
import { me, updateMe } from '../../../services/users';

/** The API's rule for a nickname: 1–64 characters after trimming. */
const NICKNAME_MAX = 64;

/** Why `nickname` (trimmed) cannot be saved, or '' when it can. */
function nicknameError(nickname: string): string {
  if (nickname.length === 0) return '请填写昵称';
  if (nickname.length > NICKNAME_MAX) return `昵称不能超过 ${NICKNAME_MAX} 个字`;
  return '';
}

Component({
  data: {
    loading: true,
    error: '',
    nickname: '',
    /** What the <image> shows: the saved avatar, or the one just uploaded. */
    avatarUrl: '',
    /** The avatar chosen on this page (an upload id), sent on save; 0 while unchanged. */
    avatarUploadId: 0,
    nicknameMax: NICKNAME_MAX,
    uploading: false,
    saving: false,
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    async load(): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        const user = await me();
        this.setData({
          loading: false,
          nickname: user.nickname ?? '',
          avatarUrl: user.avatarUrl ? fileUrl(user.avatarUrl) : '',
          avatarUploadId: 0,
        });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    /**
     * <button open-type="chooseAvatar"> hands over a temporary file (the WeChat avatar, the album or
     * the camera); it is uploaded at once, so saving only sends the upload's id.
     */
    async onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl?: string }>): Promise<void> {
      const path = e.detail.avatarUrl;
      if (!path || this.data.uploading || this.data.saving) return;
      this.setData({ uploading: true });
      try {
        const uploaded = await uploadImage(path, 'avatar');
        this.setData({ avatarUploadId: uploaded.id, avatarUrl: fileUrl(uploaded.url) });
      } catch {
        // services/request.ts has shown the API's message; the previous avatar stays.
      } finally {
        this.setData({ uploading: false });
      }
    },
    onNicknameInput(e: WechatMiniprogram.Input): void {
      this.setData({ nickname: e.detail.value });
    },
    /**
     * The form's value wins over the input events: WeChat checks a nickname typed into
     * `type="nickname"` after the fact and may clear it, and picking the WeChat nickname from the
     * keyboard does not always fire `input`.
     */
    async onSave(e?: WechatMiniprogram.FormSubmit): Promise<void> {
      const d = this.data;
      if (d.saving || d.uploading) return;
      const fromForm = (e?.detail?.value as { nickname?: unknown } | undefined)?.nickname;
      const nickname = String(fromForm ?? d.nickname).trim();
      const problem = nicknameError(nickname);
      if (problem) {
        wx.showToast({ title: problem, icon: 'none' });
        return;
      }
      this.setData({ saving: true, nickname });
      try {
        await updateMe({ nickname, ...(d.avatarUploadId ? { avatarUploadId: d.avatarUploadId } : {}) });
        this.setData({ saving: false, avatarUploadId: 0 });
        wx.showToast({ title: '已保存', icon: 'success' });
        // The profile page re-reads the profile in onShow.
        wx.navigateBack({ delta: 1 });
      } catch {
        // services/request.ts has shown the API's message; the form keeps what was entered.
        this.setData({ saving: false });
      }
    },
  },
});
