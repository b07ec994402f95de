App<IAppOption>({
  globalData: {
    apiBase: 'http://127.0.0.1:3000',
  },
  onLaunch() {},
});
