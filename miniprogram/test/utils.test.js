const { checkGb11643, checkIdNumber } = require('../src/utils/idcard');
const { applyBasis, basisChoices } = require('../src/utils/basis');
const { normalizeCode, isCompleteCode, phoneError, yearsError, employerError } = require('../src/utils/validate');
const { statusTone, beijingTime } = require('../src/utils/format');
const { localChecklist } = require('../src/utils/regform');

const TODAY = new Date(2026, 0, 1);

describe('GB 11643 check', () => {
  test.each(['11010519491231002X', '440524188001010014', '810000199408230021', '11010519491231002x'])('accepts %s', (v) => {
    expect(checkGb11643(v, TODAY).ok).toBe(true);
  });

  test('derives birth date and gender', () => {
    expect(checkGb11643('11010519491231002X', TODAY)).toMatchObject({ birthDate: '1949-12-31', gender: '女' });
    expect(checkGb11643('440524188001010014', TODAY)).toMatchObject({ birthDate: '1880-01-01', gender: '男' });
  });

  test.each([
    ['11010519491231002', '证件号码应为18位'],
    ['110105194912310021', '证件号码校验位不正确'],
    ['110105194902300021', '证件号码中的出生日期不正确'],
    ['110105203001010021', '证件号码中的出生日期不正确'],
    ['11010519491231A02X', '证件号码格式不正确'],
  ])('rejects %s', (v, msg) => {
    expect(checkGb11643(v, TODAY).message).toBe(msg);
  });

  test('per type rules', () => {
    expect(checkIdNumber('02', '810000199408230021', TODAY).ok).toBe(true);
    expect(checkIdNumber('02', '440524188001010014', TODAY).ok).toBe(false);
    expect(checkIdNumber('05', '440524188001010014', TODAY).ok).toBe(false);
    expect(checkIdNumber('03', 'H12345678', TODAY).ok).toBe(true);
    expect(checkIdNumber('03', 'm1234567890', TODAY).ok).toBe(true);
    expect(checkIdNumber('03', 'X12345678', TODAY).ok).toBe(false);
    expect(checkIdNumber('04', '12345678', TODAY).ok).toBe(true);
    expect(checkIdNumber('04', '1234567', TODAY).ok).toBe(false);
    expect(checkIdNumber('06', 'E1234', TODAY).ok).toBe(true);
    expect(checkIdNumber('06', 'E12', TODAY).ok).toBe(false);
  });
});

describe('报考依据 rules from /meta', () => {
  // What the server answers (handlers' TestMeta keeps this file equal to /meta).
  const meta = { basis_rules: require('./helpers/basis_rules.json') };

  test.each([
    [5, ['work_years', 'title_or_cert', 'level5']],
    [4, ['education', 'work_years', 'title_or_cert']],
    [3, ['education', 'work_years', 'title_or_cert']],
    [2, ['work_years', 'title_or_cert']],
    [1, ['work_years', 'title_or_cert']],
  ])('level %i allows %j', (level, allowed) => {
    const got = basisChoices(meta, level).filter((b) => !b.disabled).map((b) => b.code);
    expect(got.sort()).toEqual(allowed.sort());
  });

  test.each(['level5', 'education'])('%s fills 0 / 其他 / 无 / 其他 and locks those four', (code) => {
    const r = applyBasis(meta, code, { employer: 'X', years_in_occupation: '3' });
    expect(r.form).toEqual({ basis: code, employer: '无', years_in_occupation: '0', candidate_source: 'other', labor_relation: 'other' });
    expect(r.locked.sort()).toEqual(['candidate_source', 'employer', 'labor_relation', 'years_in_occupation']);
  });

  test.each(['work_years', 'title_or_cert'])('%s fills 本企业职工 twice and keeps a real employer', (code) => {
    const r = applyBasis(meta, code, { employer: '岭南科技', years_in_occupation: '6' });
    expect(r.form).toMatchObject({ candidate_source: 'employee', labor_relation: 'employee', employer: '岭南科技', years_in_occupation: '6' });
    expect(r.locked.sort()).toEqual(['candidate_source', 'labor_relation']);
  });

  test('leaving 报名五级 for 以工作年限报考 clears what it filled', () => {
    const five = applyBasis(meta, 'level5', {}).form;
    const work = applyBasis(meta, 'work_years', five).form;
    expect(work).toMatchObject({ employer: '', years_in_occupation: '', candidate_source: 'employee' });
  });

  test('without /meta rules nothing is offered or filled', () => {
    expect(basisChoices({}, 5)).toEqual([]);
    expect(applyBasis({}, 'level5', { employer: 'X' })).toEqual({ form: { basis: 'level5', employer: 'X' }, locked: [] });
  });
});

describe('local checklist', () => {
  const meta = { basis_rules: require('./helpers/basis_rules.json') };
  // Keys must be the server's (domain/checklist.go): an upload under another key is refused.
  const SERVER_KEYS = ['diploma', 'chsi_record', 'social_insurance', 'work_proof', 'labor_contract', 'title_cert', 'self_proof'];
  test.each(['level5', 'education', 'work_years', 'title_or_cert'])('%s uses the server checklist keys', (code) => {
    for (const item of localChecklist(meta, code)) expect(SERVER_KEYS).toContain(item.key);
  });
  test('title_or_cert requires the certificate', () => {
    expect(localChecklist(meta, 'title_or_cert').find((i) => i.key === 'title_cert')).toMatchObject({ required: true });
  });
});

describe('field checks', () => {
  test('registration code', () => {
    expect(normalizeCode(' ab cd efgh ij')).toBe('ABCDEFGH');
    expect(isCompleteCode('ABCDEFG')).toBe(false);
    expect(isCompleteCode('ABCDEFGH')).toBe(true);
  });
  test('phone, years, employer', () => {
    expect(phoneError('13800138000')).toBe('');
    expect(phoneError('23800138000')).not.toBe('');
    expect(yearsError('61')).not.toBe('');
    expect(yearsError('1.5')).not.toBe('');
    expect(yearsError('0')).toBe('');
    expect(employerError('一'.repeat(25))).toBe('');
    expect(employerError('一'.repeat(26))).not.toBe('');
  });
  test('status tones and Beijing time', () => {
    expect(statusTone('returned')).toBe('warning');
    expect(statusTone('new_code', '审核通过')).toBe('success');
    expect(beijingTime('2025-11-13T16:30:00Z')).toBe('2025-11-14 00:30');
  });
});
