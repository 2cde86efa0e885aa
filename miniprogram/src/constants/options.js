/**
 * Fallback option lists, used only until (or if) GET /api/v1/meta answers. The server's
 * lists are the truth: provinces configure 考生来源, 劳务关系 and the rest there.
 * Names follow DOMAIN.md.
 */

/** @typedef {{ code: string, name: string }} Option */

/** @type {Record<string, Option[]>} */
const FALLBACK_META = {
  levels: [
    { code: '1', name: '一级/高级技师' },
    { code: '2', name: '二级/技师' },
    { code: '3', name: '三级/高级工' },
    { code: '4', name: '四级/中级工' },
    { code: '5', name: '五级/初级工' },
  ],
  sorts: [
    { code: 'deadline', name: '报名截止日期' },
    { code: 'eval_start', name: '评价开始日期' },
    { code: 'newest', name: '最新发布' },
  ],
  id_types: [
    { code: '01', name: '居民身份证' },
    { code: '02', name: '港澳台居民居住证' },
    { code: '03', name: '港澳居民来往内地通行证' },
    { code: '04', name: '台湾居民来往大陆通行证' },
    { code: '05', name: '外国人永久居留身份证' },
    { code: '06', name: '护照' },
  ],
  education: [
    { code: '10', name: '研究生' },
    { code: '21', name: '大学本科' },
    { code: '31', name: '大学专科' },
    { code: '41', name: '中等专科' },
    { code: '47', name: '技工学校' },
    { code: '61', name: '高中' },
    { code: '71', name: '初中' },
    { code: '81', name: '小学' },
    { code: '90', name: '其他' },
  ],
  candidate_sources: [
    { code: 'employee', name: '本企业职工' },
    { code: 'student', name: '院校学生' },
    { code: 'public', name: '社会人员' },
    { code: 'other', name: '其他' },
  ],
  labor_relations: [
    { code: 'employee', name: '本企业职工' },
    { code: 'dispatched', name: '劳务派遣' },
    { code: 'flexible', name: '灵活就业' },
    { code: 'other', name: '其他' },
  ],
  bases: [
    { code: 'level5', name: '报名五级' },
    { code: 'education', name: '以学历报考' },
    { code: 'work_years', name: '以工作年限报考' },
    { code: 'title_or_cert', name: '以职称或技能证书报考' },
  ],
  feedback_categories: [
    { code: 'exam_organization', name: '考务组织' },
    { code: 'exam_discipline', name: '考场纪律' },
    { code: 'fees', name: '收费问题' },
    { code: 'certificates', name: '证书发放' },
    { code: 'other', name: '其他' },
  ],
  cities: [],
  occupations: [],
  statuses: [],
};

module.exports = { FALLBACK_META };
