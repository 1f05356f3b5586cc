import { Button, Menu } from '@mantine/core';
import { IconFileZip, IconLock, IconLogout, IconUser, IconUserCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../transport/ClientProvider';
import { notifyFailure, notifySuccess } from '../../app/errors';
import { fetchDiagnostics } from '../system/diagnostics';
import { downloadBlob } from '../system/download';
import { useCan, useRoleNames, useSession } from './session';

/** The header's person: who is on duty in this window; lock, switch user, log out. */
export function PersonMenu() {
  const { t } = useTranslation();
  const { session, lock, switchUser, logout } = useSession();
  const roleNames = useRoleNames();
  const client = useClient();
  // For whoever manages the settings (admin, shift leader): logs, versions, settings without secrets.
  const diagnostics = useCan('system.diagnostics');
  const save = async () => {
    try {
      const { filename, bytes, blob } = await fetchDiagnostics(client);
      downloadBlob(filename, blob);
      notifySuccess(t('people.diagnostics.saved', { filename, size: `${Math.max(1, Math.round(bytes / 1024))} KB` }));
    } catch (error) {
      notifyFailure(error, t);
    }
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="subtle" color="gray" leftSection={<IconUserCircle size={16} />} data-testid="person-menu">
          {session.staff.name}
          <span className="person-roles">（{roleNames(session.staff.roles)}）</span>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('people.bar.person', { name: session.staff.name, roles: roleNames(session.staff.roles) })}</Menu.Label>
        <Menu.Item leftSection={<IconLock size={14} />} onClick={() => void lock()} data-testid="person-lock">
          {t('people.lock.lockNow')}
        </Menu.Item>
        <Menu.Item leftSection={<IconUser size={14} />} onClick={switchUser} data-testid="person-switch">
          {t('people.lock.switchUser')}
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={14} />} onClick={() => void logout()} data-testid="person-logout">
          {t('people.lock.logout')}
        </Menu.Item>
        {diagnostics.allowed && (
          <>
            <Menu.Divider />
            <Menu.Item leftSection={<IconFileZip size={14} />} onClick={() => void save()} title={t('people.diagnostics.hint')} data-testid="person-diagnostics">
              {t('people.diagnostics.save')}
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
