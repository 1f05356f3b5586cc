// The people room's door: staff accounts, sessions, the audit trail, the demo duty room.
export { peopleModule } from './handlers';
export { StaffStore } from './staff-store';
export { SessionManager } from './sessions';
export { AuditStore } from './audit-store';
export { verifyCosigner } from './cosign';
export { DEMO_STAFF, seedDemoStaff } from './demo-staff';
