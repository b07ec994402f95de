interface IAppOption {
  globalData: {
    apiBase: string;
    token?: string;
  };
}
