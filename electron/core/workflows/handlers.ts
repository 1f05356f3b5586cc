import { DUE_SOON_MS, type Workflow, type workflowCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import type { Change } from '../incidents';
import { Statistics } from './stats';
import { UnitStore } from './unit-store';
import { WorkflowStore } from './workflow-store';

export function workflowsModule(ctx: CoreContext): CoreModule<keyof typeof workflowCommands> {
  const { db, incidents, bus, now } = ctx;
  const write = <T,>(fn: () => T): T => incidents.write(fn);
  const units = new UnitStore(db, write);
  const store = new WorkflowStore(db, incidents, units, ctx.settings);
  const stats = new Statistics(db);

  /** The incident's own event first (the detail reloads on it), then the workflow's for boards and views. */
  const published = ({ change, workflow }: { change: Change; workflow: Workflow }) => {
    const incident = ctx.publish(change);
    bus.emit('workflow.changed', { workflowId: workflow.id, incidentId: workflow.incidentId, kind: workflow.kind });
    return { workflow, incident };
  };
  const unitsChanged = <T,>(value: T, reason: string): T => {
    bus.emit('units.changed', { reason });
    return value;
  };

  return {
    handlers: {
      'units.list': ({ kind }) => units.list(kind),
      'units.create': ({ draft }) => unitsChanged(units.create(draft, now()), 'created'),
      'units.update': ({ id, expectedVersion, draft }) => unitsChanged(units.update(id, expectedVersion, draft, now()), 'updated'),
      'units.delete': ({ id, expectedVersion }) => {
        units.delete(id, expectedVersion);
        return unitsChanged({}, 'deleted');
      },
      'units.importCsv': ({ csv }) => unitsChanged(units.importCsv(csv, now()), 'imported'),
      'units.exportCsv': () => ({ csv: units.exportCsv() }),
      'workflows.settings': () => store.settings(),
      'workflows.updateSettings': ({ settings }) => store.updateSettings(settings),
      'workflows.prepare': ({ incidentId, kind }) => store.prepare(incidentId, kind),
      'workflows.escalate': ({ incidentId, escalation }, { actor }) => published(store.escalate(incidentId, escalation, actor, now())),
      'workflows.step': ({ id, expectedVersion, step }, { actor }) => published(store.step(id, expectedVersion, step, actor, now())),
      'workflows.extendDeadline': ({ id, expectedVersion, days, reason }, { actor }) =>
        published(store.extendDeadline(id, expectedVersion, days, reason, actor, now())),
      'workflows.forIncident': ({ incidentId }) => store.forIncident(incidentId),
      'workflows.revealPerson': ({ workflowId, personId }, { actor }) => {
        const { change, person } = store.reveal(workflowId, personId, actor, now());
        return { incident: ctx.publish(change), person };
      },
      'quarantine.board': () => store.board(now()),
      'workflows.summary': () => {
        const at = now();
        return { ...store.summary(at), now: at };
      },
      'supervision.list': () => store.supervision(now(), DUE_SOON_MS),
      'supervision.urge': ({ incidentId, workflowId, note }, { actor }) => ctx.publish(store.urge(incidentId, workflowId, note, actor, now())),
      'stats.query': ({ from, to }) => stats.query(from, to),
    },
  };
}
