import { featureStrings } from '../../i18n/feature-strings';

export const jobStrings = featureStrings(
  {
    jobs: {
      title: '后台任务',
      cancel: '取消',
      cancelling: '正在取消…',
      committing: '正在保存，无法取消',
      of: '{{done}} / {{total}}',
      state: { running: '进行中', done: '已完成', failed: '失败', cancelled: '已取消，未做任何更改' },
      kind: {
        'grids.import': '导入网格并重新划分事件',
        'events.verify': '校验事件哈希链',
      },
      phase: {
        start: '准备中',
        validate: '校验网格',
        overlap: '检查网格重叠',
        write: '写入网格',
        regrid: '重新划分事件',
        commit: '保存中',
        verify: '校验中',
        copy: '复制中',
        read: '读取中',
        export: '导出中',
      },
    },
  },
  {
    jobs: {
      title: 'Background tasks',
      cancel: 'Cancel',
      cancelling: 'Cancelling…',
      committing: 'Saving; can no longer be cancelled',
      of: '{{done}} / {{total}}',
      state: { running: 'Running', done: 'Done', failed: 'Failed', cancelled: 'Cancelled; nothing was changed' },
      kind: {
        'grids.import': 'Importing grids and re-gridding incidents',
        'events.verify': 'Verifying the event hash chain',
      },
      phase: {
        start: 'Starting',
        validate: 'Checking grids',
        overlap: 'Checking for overlaps',
        write: 'Writing grids',
        regrid: 'Re-gridding incidents',
        commit: 'Saving',
        verify: 'Verifying',
        copy: 'Copying',
        read: 'Reading',
        export: 'Exporting',
      },
    },
  },
);
