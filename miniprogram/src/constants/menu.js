/** 首页 service menu, grouped as in the seed's 服务分类. */
module.exports = {
  MENU: [
    {
      title: '技能培训',
      items: [{ key: 'training', title: '培训意向登记', url: '/pages/training/training' }],
    },
    {
      title: '职业技能等级认定',
      items: [
        { key: 'plans', title: '评价计划查询', url: '/pages/plans/plans' },
        { key: 'register', title: '报名码报名', url: '/pages/register/register' },
        { key: 'records', title: '报名记录查看', url: '/pages/records/records', tab: true },
        {
          key: 'certificates',
          title: '证书进度查询',
          desc: '考生可以在此处查询本人证书上网进度',
          url: '/pages/certificates/certificates',
        },
      ],
    },
    {
      title: '外部督导',
      items: [{ key: 'feedback', title: '外部督导情况反馈', url: '/pages/feedback/feedback' }],
    },
  ],
  NOTICE: '如有意向报名，请通过联系评价机构联系人获取报名码；报名后请留意审核结果通知。',
};
