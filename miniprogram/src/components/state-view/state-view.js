/** Loading / empty / error placeholder shared by every list page. */
Component({
  properties: {
    /** 'loading' | 'empty' | 'error' | 'ready' (renders nothing). */
    state: { type: String, value: 'loading' },
    emptyText: { type: String, value: '暂无数据' },
    errorText: { type: String, value: '加载失败' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
