import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Button, Group, Loader, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  ContractError,
  requiredPermission,
  type CommandInput,
  type CommandName,
  type Permission,
  type Role,
  type Session,
} from '@shared';
import type { peopleCommands } from '@shared';
import type { z } from 'zod';
import { useClient, useConnection } from '../../transport/ClientProvider';
import { sessionToken } from '../../transport/session-token';
import { describeFailure } from '../../app/errors';
import { ChangePasswordScreen, LoginForm, SetupScreen } from './LoginScreens';
import './people.css';

type AuthStatus = z.output<(typeof peopleCommands)['auth.status']['output']>;

interface SessionContextValue {
  session: Session;
  status: AuthStatus;
  has(permission: Permission): boolean;
  lock(): Promise<void>;
  switchUser(): void;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside <SessionGate>');
  return value;
}

/** Labels of roles, joined: 值班员、研判员. */
export function useRoleNames(): (roles: readonly Role[]) => string {
  const { t } = useTranslation();
  return useCallback((roles) => roles.map((r) => t(`people.roles.${r}`)).join('、'), [t]);
}

/**
 * Whether this window's person may run a command (with this input, for commands whose input decides
 * the permission). Buttons use it to hide or disable themselves with the reason, never to be refused.
 */
export function useCan<N extends CommandName>(name: N, input?: CommandInput<N>): { allowed: boolean; reason: string | null } {
  const { session } = useSession();
  const { t } = useTranslation();
  const roleNames = useRoleNames();
  const needed = requiredPermission(name, input ?? {});
  const allowed = needed === null || session.permissions.includes(needed);
  return { allowed, reason: allowed ? null : t('people.can.forbidden', { roles: roleNames(session.staff.roles) }) };
}

/** Whether this window's person holds a permission, and if not the sentence a disabled button shows. */
export function usePermission(permission: Permission): { allowed: boolean; reason: string | null } {
  const { session } = useSession();
  const { t } = useTranslation();
  const roleNames = useRoleNames();
  const allowed = session.permissions.includes(permission);
  return { allowed, reason: allowed ? null : t('people.can.forbidden', { roles: roleNames(session.staff.roles) }) };
}

/** Reasons that mean "this window's login is gone": the gate asks for it again without unmounting the console. */
const LOGIN_GONE = new Set(['auth.required', 'auth.expired']);

export function isLoginGone(error: unknown): boolean {
  return error instanceof ContractError && error.code === 'forbidden' && LOGIN_GONE.has(error.reason ?? '');
}

type Overlay = null | 'expired' | 'switch';

/**
 * The window's login. Before a session: the first-start administrator form or the login form. With a
 * session: the console, plus — over it, so nothing typed is lost and the wall stays live — the lock
 * (idle or by hand), a login after the session expired, or switching user.
 */
export function SessionGate({ children, onLoginGone }: { children: ReactNode; onLoginGone: (listener: () => void) => () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const { epoch } = useConnection();
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [failure, setFailure] = useState<unknown>(null);

  // Whether this window has been logged in: a reconnect without a session then asks over the console.
  const hadSession = useRef(false);
  const adopt = useCallback((next: Session | null) => {
    sessionToken.set(next?.token ?? null);
    hadSession.current = next !== null;
    setSession(next);
    if (next) setOverlay(null);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const next = await client.invoke('auth.status', {});
      setStatus(next);
      setFailure(null);
      if (next.session) adopt(next.session);
      else if (hadSession.current) setOverlay('expired');
      else adopt(null);
    } catch (e) {
      setFailure(e);
    }
    // `session` is read through a ref, not a trigger: a reconnect (epoch) asks again.
  }, [client, adopt]);

  useEffect(() => {
    if (epoch > 0) void refresh();
  }, [refresh, epoch]);

  // Any command answered "log in first" means this window's session ended (host restart, expiry).
  useEffect(() => onLoginGone(() => setOverlay((o) => o ?? 'expired')), [onLoginGone]);

  const lock = useCallback(async () => {
    try {
      adopt(await client.invoke('auth.lock', {}));
    } catch (e) {
      if (isLoginGone(e)) setOverlay('expired');
    }
  }, [client, adopt]);

  const logout = useCallback(async () => {
    await client.invoke('auth.logout', {}).catch(() => undefined);
    adopt(null);
    setOverlay(null);
    void refresh();
  }, [client, adopt, refresh]);

  useIdleLock(session && !session.locked && !overlay ? (status?.policy.idleLockMinutes ?? 10) : null, lock);

  const value = useMemo<SessionContextValue | null>(
    () =>
      session && status
        ? {
            session,
            status,
            has: (p) => session.permissions.includes(p),
            lock,
            switchUser: () => setOverlay('switch'),
            logout,
          }
        : null,
    [session, status, lock, logout],
  );

  if (!status) {
    return (
      <Stack className="boot-screen" align="center" justify="center" gap="sm" data-testid="boot-screen">
        <Text fw={600} size="lg">
          {t('app.name')}
        </Text>
        {failure ? <Text size="sm">{describeFailure(failure, t).message}</Text> : <Loader size="sm" type="dots" />}
      </Stack>
    );
  }
  if (!session || !value) {
    if (status.setupNeeded) return <SetupScreen policy={status.policy} onDone={adopt} />;
    return (
      <div className="login-screen" data-testid="login-screen">
        <LoginForm title={t('people.login.title')} demoAccounts={status.demoAccounts} onDone={adopt} />
      </div>
    );
  }
  if (session.mustChangePassword) return <ChangePasswordScreen onDone={adopt} />;

  return (
    <SessionContext.Provider value={value}>
      {children}
      {session.locked && !overlay && <LockOverlay session={session} onUnlocked={adopt} onSwitch={() => setOverlay('switch')} />}
      <Modal
        opened={overlay !== null}
        onClose={() => overlay === 'switch' && setOverlay(null)}
        withCloseButton={overlay === 'switch'}
        closeOnEscape={overlay === 'switch'}
        closeOnClickOutside={false}
        centered
        title={overlay === 'expired' ? t('people.login.expiredTitle') : t('people.login.switchTitle')}
      >
        {/* The test id sits on the body, not on Modal's root: that root has no box of its own (its
            overlay and card are position: fixed), so a browser — and Playwright — count it as hidden. */}
        <div data-testid={overlay === 'expired' ? 'login-expired' : 'switch-user'}>
          {overlay === 'expired' && (
            <Text size="sm" c="dimmed" mb="sm">
              {t('people.login.expiredHint')}
            </Text>
          )}
          <LoginForm demoAccounts={status.demoAccounts} onDone={adopt} compact />
        </div>
      </Modal>
    </SessionContext.Provider>
  );
}

/** Over the console, which stays mounted and live underneath: the person unlocks, or someone else logs in. */
function LockOverlay({ session, onUnlocked, onSwitch }: { session: Session; onUnlocked: (s: Session) => void; onSwitch: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    try {
      onUnlocked(await client.invoke('auth.unlock', { password }));
      setPassword('');
      setError(null);
    } catch (e) {
      setError(describeFailure(e, t).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="lock-overlay" data-testid="lock-overlay">
      <form
        className="lock-card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Group gap="xs" mb="xs">
          <IconLock size={18} />
          <Text fw={600}>{t('people.lock.title')}</Text>
        </Group>
        <Text size="sm" c="dimmed" mb="sm">
          {t('people.lock.hint', { name: session.staff.name })}
        </Text>
        <PasswordInput
          label={t('people.login.password')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={error}
          autoFocus
          data-testid="unlock-password"
        />
        <Group justify="space-between" mt="md">
          <Button variant="subtle" onClick={onSwitch} data-testid="lock-switch-user">
            {t('people.lock.switchUser')}
          </Button>
          <Button type="submit" loading={busy} data-testid="unlock-submit">
            {t('people.lock.unlock')}
          </Button>
        </Group>
      </form>
    </div>
  );
}

/** Calls `lock` after `minutes` without keyboard, mouse or touch in this window; null: off. */
function useIdleLock(minutes: number | null, lock: () => Promise<void>): void {
  const last = useRef(Date.now());
  useEffect(() => {
    if (minutes === null) return;
    last.current = Date.now();
    const touch = () => (last.current = Date.now());
    const kinds = ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart'] as const;
    for (const kind of kinds) window.addEventListener(kind, touch, { passive: true, capture: true });
    const timer = setInterval(() => {
      if (Date.now() - last.current >= minutes * 60_000) void lock();
    }, 5_000);
    return () => {
      for (const kind of kinds) window.removeEventListener(kind, touch, { capture: true });
      clearInterval(timer);
    };
  }, [minutes, lock]);
}
