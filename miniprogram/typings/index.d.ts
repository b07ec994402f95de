interface IAppOption {
  globalData: {
    apiBase: string;
    /** Socket.IO base (ws/wss); the API base over ws(s) when absent. */
    socketUrl?: string;
    token?: string;
  };
}
