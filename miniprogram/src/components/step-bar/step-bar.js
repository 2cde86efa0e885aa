/** The three-step bar of 报名码报名 (seed, step three). */
Component({
  properties: {
    /** 0-based index of the step in progress. */
    current: { type: Number, value: 0 },
  },
  data: {
    steps: ['报名码报名', '评价计划确认', '考生报名'],
  },
});
