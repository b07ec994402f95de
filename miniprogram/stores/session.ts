export type UserType = 'user' | 'electrician' | 'admin';

export interface SessionUser {
  id: number;
  nickname: string | null;
  avatarUrl: string | null;
  gender: 'male' | 'female' | 'unknown';
  name: string | null;
  phone: string | null;
  hasPhone: boolean;
  userType: UserType;
  staffRole: 'admin' | 'ops_manager' | 'agent' | 'finance' | 'inventory' | null;
  status: 'active' | 'inactive' | 'banned';
  address: string | null;
  city: string | null;
  province: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

const KEYS = { token: 'session.token', refreshToken: 'session.refreshToken', user: 'session.user' } as const;

function read<T>(key: string): T | null {
  try {
    const value = wx.getStorageSync(key) as T | '' | undefined;
    return value === '' || value === undefined ? null : (value as T);
  } catch {
    return null;
  }
}

/** The login session, persisted so it survives restarts of the mini-program. */
export const session = {
  getToken(): string | null {
    return read<string>(KEYS.token);
  },
  getRefreshToken(): string | null {
    return read<string>(KEYS.refreshToken);
  },
  getUser(): SessionUser | null {
    return read<SessionUser>(KEYS.user);
  },
  isLoggedIn(): boolean {
    return Boolean(read<string>(KEYS.token));
  },
  setTokens(token: string, refreshToken: string): void {
    wx.setStorageSync(KEYS.token, token);
    wx.setStorageSync(KEYS.refreshToken, refreshToken);
  },
  setUser(user: SessionUser): void {
    wx.setStorageSync(KEYS.user, user);
  },
  clear(): void {
    wx.removeStorageSync(KEYS.token);
    wx.removeStorageSync(KEYS.refreshToken);
    wx.removeStorageSync(KEYS.user);
  },
};
