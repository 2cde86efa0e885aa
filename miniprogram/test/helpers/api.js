/** Fixtures shaped like docs/API.md, and routes most pages need. */

const PLAN = {
  id: 1,
  plan_no: '2501',
  plan_name: '2025年第4期人工智能训练师二级认定',
  occupation_name: '人工智能训练师',
  work_type: '无',
  level: 2,
  level_name: '二级/技师',
  location: { city: '广州市', district: '天河区', address: '天源路1号' },
  reg_start: '2025-10-20',
  reg_deadline: '2025-11-13',
  eval_start: '2025-11-13',
  eval_end: '2025-11-13',
  institution_id: 1,
  institution_name: '广东岭南现代技师学院',
  contact_name: '陈老师',
  contact_phone: '020-12345678',
  supervision_region: '广东省（省本级）',
  seats_total: 60,
  seats_left: 42,
  status: 'open',
  status_name: '报名中',
};

/** @param {object} [over] */
function plan(over) {
  return Object.assign({}, PLAN, over || {});
}

const META = {
  levels: [
    { code: '1', name: '一级/高级技师' },
    { code: '2', name: '二级/技师' },
    { code: '3', name: '三级/高级工' },
    { code: '4', name: '四级/中级工' },
    { code: '5', name: '五级/初级工' },
  ],
  cities: [
    { code: '440100', name: '广州市' },
    { code: '440300', name: '深圳市' },
  ],
  occupations: [
    { code: '4-04-05-05', name: '人工智能训练师' },
    { code: '6-28-01-01', name: '电工' },
  ],
  sorts: [
    { code: 'deadline', name: '报名截止日期' },
    { code: 'eval_start', name: '评价开始日期' },
    { code: 'newest', name: '最新发布' },
  ],
  statuses: [],
  id_types: [
    { code: '01', name: '居民身份证' },
    { code: '02', name: '港澳台居民居住证' },
    { code: '03', name: '港澳居民来往内地通行证' },
    { code: '04', name: '台湾居民来往大陆通行证' },
    { code: '05', name: '外国人永久居留身份证' },
    { code: '06', name: '护照' },
  ],
  education: [
    { code: '21', name: '大学本科' },
    { code: '31', name: '大学专科' },
    { code: '61', name: '高中' },
  ],
  candidate_sources: [
    { code: 'employee', name: '本企业职工' },
    { code: 'cs2', name: '院校学生' },
    { code: 'cs3', name: '社会人员' },
    { code: 'other', name: '其他' },
  ],
  labor_relations: [
    { code: 'employee', name: '本企业职工' },
    { code: 'lr2', name: '劳务派遣' },
    { code: 'lr3', name: '灵活就业' },
    { code: 'other', name: '其他' },
  ],
  bases: [],
  // The server's 报考依据 rules: handlers' TestMeta keeps this file equal to what /meta answers.
  basis_rules: require('./basis_rules.json'),
  feedback_categories: [
    { code: 'exam_organization', name: '考务组织' },
    { code: 'exam_discipline', name: '考场纪律' },
    { code: 'fees', name: '收费问题' },
    { code: 'certificates', name: '证书发放' },
    { code: 'other', name: '其他' },
  ],
  contact_prefs: [
    { code: 'in_app', name: '小程序内答复' },
    { code: 'phone', name: '电话联系' },
  ],
  training_occupations: [
    { code: '电工', name: '电工' },
    { code: '养老护理员', name: '养老护理员' },
  ],
  training_cities: [
    { code: '广州市', name: '广州市' },
    { code: '深圳市', name: '深圳市' },
  ],
  // The server's rules (GET /api/v1/meta): which document types carry 性别/出生日期,
  // and the form's required fields per basis.
  id_types_deriving_identity: ['01', '02', '05'],
  min_age: 16,
  required_fields: {
    '': ['basis', 'education', 'years_in_occupation', 'candidate_source', 'labor_relation', 'phone', 'employer', 'commitment_accepted'],
    level5: ['basis', 'education', 'phone', 'commitment_accepted'],
    work_years: ['basis', 'education', 'years_in_occupation', 'phone', 'employer', 'commitment_accepted'],
    education: ['basis', 'education', 'phone', 'commitment_accepted'],
    title_or_cert: ['basis', 'education', 'years_in_occupation', 'phone', 'employer', 'commitment_accepted'],
  },
  subscribe_templates: [
    // Listed first but not asked for on submit: a wrong event name would fall back to it.
    { event: 'registration.submitted', template_id: 'TPL_SUBMITTED' },
    { event: 'registration.approved', template_id: 'TPL_APPROVED' },
    { event: 'registration.returned', template_id: 'TPL_RETURNED' },
    { event: 'exam.reminder', template_id: 'TPL_REMINDER' },
  ],
};

const ME = {
  id: 7,
  has_identity: true,
  name: '张三',
  id_type: '01',
  id_type_name: '居民身份证',
  id_number: '440524188001010014',
  id_number_masked: '440524********0014',
  gender: '男',
  birth_date: '1880-01-01',
  verify_state: 'verified',
  verify_state_name: '已核验',
  identity_locked: true,
  phone_masked: '138****1234',
  oa_bound: false,
};

/** @param {object} [over] */
function registration(over) {
  return Object.assign(
    {
      id: 11,
      status: 'draft',
      status_name: '已保存',
      plan: plan(),
      identity: { name: '张三', id_type: '01', id_type_name: '居民身份证', id_number_masked: '440524********0014', gender: '男', birth_date: '1880-01-01' },
      basis: '',
      education: '',
      years_in_occupation: null,
      candidate_source: '',
      labor_relation: '',
      phone: '',
      employer: '',
      commitment_accepted: false,
      commitment_accepted_at: null,
      locked_fields: [],
      editable: true,
      warnings: [],
      submitted_at: null,
      reviewed_at: null,
      review_note: '',
      return_fields: [],
      created_at: '2025-11-01T02:00:00Z',
      updated_at: '2025-11-01T02:00:00Z',
    },
    over || {},
  );
}

/**
 * Sign-in and meta: what nearly every page calls first.
 * @param {any} server wx.__server
 */
function baseRoutes(server) {
  server.on('POST', '/api/v1/auth/login', () => ({
    status: 200,
    body: { token: `tok-${server.count('POST', '/api/v1/auth/login')}`, expires_at: '2099-01-01T00:00:00Z', candidate: ME },
  }));
  server.on('GET', '/api/v1/meta', { status: 200, body: META });
  server.on('GET', '/api/v1/me', { status: 200, body: ME });
  return server;
}

/** @param {any[]} items */
function list(items, total = items.length, page = 1, pageSize = 20) {
  return { items, total, page, page_size: pageSize };
}

module.exports = { PLAN, plan, META, ME, registration, baseRoutes, list };
