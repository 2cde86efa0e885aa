/** 首页: the service menu and a notice area. */
const { MENU, NOTICE } = require('../../constants/menu');
const auth = require('../../services/auth');
const { go } = require('../../utils/nav');
const { dataOf } = require('../../utils/ui');

Component({
  data: {
    menu: MENU,
    notice: NOTICE,
    greeting: '考生服务',
  },
  methods: {
    onShow() {
      const s = auth.getSession();
      const name = s && s.candidate && s.candidate.has_identity ? s.candidate.name : '';
      this.setData({ greeting: name ? `${name}，您好` : '考生服务' });
    },
    /** @param {any} e */
    onOpen(e) {
      go(String(dataOf(e, 'url')));
    },
  },
});
