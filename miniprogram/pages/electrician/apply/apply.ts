import { TAB_PAGES } from '../../../utils/landing';
import {
  applyAsElectrician,
  CERTIFICATE_TYPE_TEXT,
  myElectricianProfile,
  VERIFICATION_TEXT,
  type CertificateType,
  type Electrician,
} from '../../../services/electricians';
import { fileUrl } from '../../../services/files';
import type { ApiError } from '../../../services/request';
import { formatTime } from '../../../utils/format';
import { addPhotos, type Photo } from '../../../utils/photo-picker';

const CERTIFICATE_TYPES = Object.keys(CERTIFICATE_TYPE_TEXT) as CertificateType[];
export const SPECIALTIES = ['线路维修', '电器维修', '灯具安装', '开关插座', '配电箱', '弱电布线', '水电改造'];
const MAX_CERTIFICATE_PHOTOS = 6;

/** 'A、B, C  D' → ['A', 'B', 'C', 'D']. */
const splitTags = (text: string) =>
  text
    .split(/[,，、\s]+/)
    .map((t) => t.trim())
    .filter(Boolean);

interface Form {
  realName: string;
  idCard: string;
  certificateIndex: number;
  certificateNumber: string;
  experienceYears: string;
  specialties: string[];
  serviceAreas: string;
  introduction: string;
  photos: Photo[];
}

function check(f: Form): string {
  if (!/^[\p{Script=Han}A-Za-z·]{2,20}$/u.test(f.realName.trim())) return '姓名为 2–20 个汉字、字母或 ·';
  if (!/^\d{17}[\dXx]$/.test(f.idCard.trim())) return '请输入 18 位身份证号';
  if (!/^[A-Za-z0-9-]{4,50}$/.test(f.certificateNumber.trim())) return '证书编号为 4–50 位字母、数字或 -';
  if (f.photos.length === 0) return '请上传证书照片';
  const years = Number(f.experienceYears);
  if (f.experienceYears === '' || !Number.isInteger(years) || years < 0 || years > 60) return '从业年限为 0–60 的整数';
  if (f.specialties.length === 0) return '请至少选择一项擅长领域';
  if (splitTags(f.serviceAreas).length === 0) return '请填写服务区域';
  if (f.introduction.trim().length > 500) return '个人介绍不超过 500 字';
  return '';
}

/** Apply to become an electrician; shows the verification status, the rejection note, and lets a rejected applicant reapply. */
Component({
  data: {
    loading: true,
    error: '',
    /** The stored application, if any. */
    application: null as null | {
      status: string;
      statusText: string;
      note: string;
      realName: string;
      idCard: string;
      certificateText: string;
      certificateNumber: string;
      submittedText: string;
      photos: string[];
    },
    editing: false,
    certificateOptions: CERTIFICATE_TYPES.map((t) => CERTIFICATE_TYPE_TEXT[t]),
    specialtyOptions: SPECIALTIES.map((name) => ({ name, checked: false })),
    form: {
      realName: '',
      idCard: '',
      certificateIndex: 0,
      certificateNumber: '',
      experienceYears: '',
      specialties: [],
      serviceAreas: '',
      introduction: '',
      photos: [],
    } as Form,
    maxPhotos: MAX_CERTIFICATE_PHOTOS,
    uploading: false,
    submitting: false,
    formError: '',
  },
  methods: {
    onShow(): void {
      void this.load();
    },
    async load(): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        this.showApplication(await myElectricianProfile({ silent: true }));
      } catch (err) {
        if ((err as ApiError).code === 'NOT_FOUND') this.setData({ application: null, editing: true });
        else this.setData({ error: (err as Error).message });
      } finally {
        this.setData({ loading: false });
      }
    },
    showApplication(e: Electrician): void {
      this.setData({
        application: {
          status: e.verificationStatus,
          statusText: VERIFICATION_TEXT[e.verificationStatus],
          note: e.verificationNote ?? '',
          realName: e.realName,
          idCard: e.idCard,
          certificateText: CERTIFICATE_TYPE_TEXT[e.certificateType],
          certificateNumber: e.certificateNumber,
          submittedText: formatTime(e.updatedAt),
          photos: e.certificateImages.map((i) => fileUrl(i.url)),
        },
        editing: false,
      });
      if (e.verificationStatus === 'rejected') {
        // Reapplying starts from what was sent; the ID number is masked, so it is typed again.
        this.setData({
          'form.realName': e.realName,
          'form.certificateIndex': Math.max(0, CERTIFICATE_TYPES.indexOf(e.certificateType)),
          'form.certificateNumber': e.certificateNumber,
          'form.experienceYears': String(e.experienceYears),
          'form.specialties': e.specialties.filter((s) => SPECIALTIES.includes(s)),
          'form.serviceAreas': e.serviceAreas.join('、'),
          'form.introduction': e.introduction ?? '',
          'form.photos': e.certificateImages.map((i) => ({ id: i.id, url: fileUrl(i.url) })),
          specialtyOptions: SPECIALTIES.map((name) => ({ name, checked: e.specialties.includes(name) })),
        });
      }
    },
    onReapply(): void {
      this.setData({ editing: true, formError: '' });
    },
    onInput(e: WechatMiniprogram.Input): void {
      const field = String(e.currentTarget.dataset.field);
      this.setData({ [`form.${field}`]: e.detail.value, formError: '' });
    },
    onCertificateChange(e: WechatMiniprogram.PickerChange): void {
      this.setData({ 'form.certificateIndex': Number(e.detail.value) });
    },
    onSpecialtiesChange(e: WechatMiniprogram.CheckboxGroupChange): void {
      const chosen = e.detail.value;
      this.setData({
        'form.specialties': chosen,
        specialtyOptions: SPECIALTIES.map((name) => ({ name, checked: chosen.includes(name) })),
        formError: '',
      });
    },
    async onAddPhotos(): Promise<void> {
      if (this.data.uploading) return;
      this.setData({ uploading: true });
      const photos = await addPhotos(this.data.form.photos, MAX_CERTIFICATE_PHOTOS, 'certificate');
      this.setData({ 'form.photos': photos, uploading: false, formError: '' });
    },
    /** components/photo-grid's remove: `{index}` of the photo. */
    onRemovePhoto(e: { detail: { index: number } }): void {
      const { index } = e.detail;
      this.setData({ 'form.photos': this.data.form.photos.filter((_, i) => i !== index) });
    },
    async onSubmit(): Promise<void> {
      const f = this.data.form;
      if (this.data.submitting || this.data.uploading) return;
      const formError = check(f);
      if (formError) {
        this.setData({ formError });
        return;
      }
      this.setData({ submitting: true, formError: '' });
      try {
        const introduction = f.introduction.trim();
        const application = await applyAsElectrician({
          realName: f.realName.trim(),
          idCard: f.idCard.trim(),
          certificateType: CERTIFICATE_TYPES[f.certificateIndex],
          certificateNumber: f.certificateNumber.trim(),
          certificateImages: f.photos.map((p) => p.id),
          experienceYears: Number(f.experienceYears),
          specialties: f.specialties,
          serviceAreas: splitTags(f.serviceAreas),
          ...(introduction ? { introduction } : {}),
        });
        this.showApplication(application);
        wx.showToast({ title: '已提交，等待审核', icon: 'success' });
      } catch (err) {
        this.setData({ formError: (err as Error).message });
      } finally {
        this.setData({ submitting: false });
      }
    },
    onHall(): void {
      wx.switchTab({ url: TAB_PAGES.hall });
    },
  },
});
