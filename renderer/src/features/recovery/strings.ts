import { featureStrings } from '../../i18n/feature-strings';

export const recoveryStrings = featureStrings(
  {
    recovery: {
      title: '数据库已损坏，控制台处于恢复状态',
      intro: '启动检查发现数据库文件损坏。为避免写入损坏的文件，控制台不会打开它；请从已校验的备份恢复。损坏的文件会原样保留在数据目录中。',
      problem: '检查结果',
      dataDir: '数据目录',
      backupFolder: '备份目录',
      backups: '可用备份（最新在前）',
      none: '备份目录中没有备份。请用命令行从其他位置（如U盘）恢复：npm run backup -- restore --data-dir 数据目录 --from 备份',
      counts: '{{incidents}} 件事件，{{events}} 条事件记录',
      verified: '已校验',
      notVerified: '未通过校验',
      restore: '恢复此备份',
      restoring: '正在校验并恢复…',
      restored: '已恢复 {{incidents}} 件事件；损坏的文件保留为 {{kept}}。正在重新加载…',
      corruptBanner: '数据库损坏，所有修改已停止：{{problem}}。请联系管理员从已校验的备份恢复（数据目录 {{dataDir}}）。',
    },
  },
  {
    recovery: {
      title: 'The database is damaged: the console is in recovery',
      intro: 'The check at start found the database file damaged. So that nothing is written into it, the console does not open it; restore a verified backup. The damaged file is kept in the data directory as it is.',
      problem: 'What the check found',
      dataDir: 'Data directory',
      backupFolder: 'Backup folder',
      backups: 'Backups (newest first)',
      none: 'There are no backups in the backup folder. Restore from elsewhere (a USB drive) on the command line: npm run backup -- restore --data-dir DIR --from BACKUP',
      counts: '{{incidents}} incidents, {{events}} events',
      verified: 'Verified',
      notVerified: 'Did not pass verification',
      restore: 'Restore this backup',
      restoring: 'Verifying and restoring…',
      restored: 'Restored {{incidents}} incidents; the damaged file is kept as {{kept}}. Reloading…',
      corruptBanner: 'The database is damaged and every change has stopped: {{problem}}. Ask an administrator to restore a verified backup (data directory {{dataDir}}).',
    },
  },
);
