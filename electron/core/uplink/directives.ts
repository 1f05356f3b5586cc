import { ContractError, type DirectiveBody, type DirectiveInfo, type RefusalReason } from '@shared';
import type { CoreContext } from '../context';
import type { Change } from '../incidents';

interface DirectiveRow {
  id: string;
  revision: number;
  incident_id: string;
  issuer: string;
  mode: 'assign' | 'supervise';
  text: string;
  deadline: number;
  priority: 1 | 2 | 3 | 4;
  issued_at: number;
  received_at: number;
  signed_by: string | null;
  signed_by_staff_no: string | null;
  signed_at: number | null;
}

export type Received =
  | { outcome: 'created' | 'linked' | 'revised'; directiveId: string; incidentId: string; changes: Change[] }
  | { outcome: 'repeat'; directiveId: string; incidentId: string }
  | { outcome: 'refused'; reason: RefusalReason; detail: string };

/** Directives come from the city, not from an operator: the timeline names the issuing body. */
const cityActor = (issuer: string) => `city:${issuer}`.slice(0, 200);

/**
 * Directives from the city (交办 / 督办). Receiving is idempotent by the city's id and revision: the
 * same directive twice is one incident, a later revision updates it. Each step writes an event on the
 * incident's timeline — and so into the outbox: the receipt, the signature (签收) and every status
 * change reach the city on the same ordered, acknowledged path as everything else, until the
 * incident's feedback (反馈) closes the directive there.
 */
export class DirectiveStore {
  private readonly byId;
  private readonly insert;
  private readonly revise;
  private readonly signStmt;
  private readonly listStmt;
  private readonly unsignedStmt;

  constructor(private readonly ctx: CoreContext) {
    const { db } = ctx;
    this.byId = db.prepare<[string], DirectiveRow>('SELECT * FROM directives WHERE id = ?');
    this.insert = db.prepare(
      `INSERT INTO directives (id, revision, incident_id, issuer, mode, text, deadline, priority, issued_at, received_at)
       VALUES (@id, @revision, @incident_id, @issuer, @mode, @text, @deadline, @priority, @issued_at, @received_at)`,
    );
    this.revise = db.prepare(
      'UPDATE directives SET revision = @revision, issuer = @issuer, mode = @mode, text = @text, deadline = @deadline, priority = @priority, issued_at = @issued_at WHERE id = @id',
    );
    this.signStmt = db.prepare<[string, string | null, number, string]>(
      'UPDATE directives SET signed_by = ?, signed_by_staff_no = ?, signed_at = ? WHERE id = ? AND signed_by IS NULL',
    );
    this.listStmt = db.prepare<[number], DirectiveRow & { code: string; title: string; status: string }>(
      `SELECT d.*, i.code, i.title, i.status FROM directives d JOIN incidents i ON i.id = d.incident_id
       ORDER BY d.received_at DESC LIMIT ?`,
    );
    this.unsignedStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM directives WHERE signed_by IS NULL');
  }

  /** Applies a directive from the city in one transaction; never throws for the directive's content. */
  receive(body: DirectiveBody, at = this.ctx.now()): Received {
    const { incidents, grids } = this.ctx;
    try {
      return incidents.write((): Received => {
        const existing = this.byId.get(body.id);
        if (existing && existing.revision >= body.revision) {
          return { outcome: 'repeat', directiveId: body.id, incidentId: existing.incident_id };
        }
        const actor = cityActor(body.issuer);
        const changes: Change[] = [];
        let incidentId: string;
        let outcome: 'created' | 'linked' | 'revised';
        const row = {
          id: body.id,
          revision: body.revision,
          issuer: body.issuer,
          mode: body.mode,
          text: body.text,
          deadline: body.deadline,
          priority: body.priority,
          issued_at: body.issuedAt,
        };
        if (existing) {
          incidentId = existing.incident_id;
          outcome = 'revised';
          this.revise.run(row);
          changes.push(...this.applyTerms(incidentId, body, actor, at));
        } else if (body.newCase) {
          const c = body.newCase;
          const known = incidents.categories().some((k) => k.code === c.category);
          // The city's clock may run ahead of the town's: a case cannot have happened after it arrived.
          const occurredAt = Math.min(c.occurredAt, at);
          const created = incidents.create(
            {
              category: known ? c.category : 'other',
              title: c.title,
              description: known ? c.description : [c.description, `(${c.category})`].filter(Boolean).join('\n'),
              location: c.location,
              gridId: grids.resolve(c.location, null, 'newCase.location'),
              source: 'city_directive',
              priority: body.priority,
              reporter: body.issuer.slice(0, 100),
              occurredAt,
              deadline: body.deadline > occurredAt ? body.deadline : undefined,
            },
            actor,
            at,
          );
          changes.push(created);
          incidentId = created.incident.id;
          outcome = 'created';
          this.insert.run({ ...row, incident_id: incidentId, received_at: at });
        } else {
          incidentId = body.incidentId!;
          const exists = this.ctx.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM incidents WHERE id = ?').get(incidentId)!.n;
          if (!exists) return { outcome: 'refused', reason: 'unknown_incident', detail: `no incident ${incidentId} at this town` };
          outcome = 'linked';
          this.insert.run({ ...row, incident_id: incidentId, received_at: at });
          changes.push(...this.applyTerms(incidentId, body, actor, at));
        }
        changes.push(
          incidents.touch(
            incidentId,
            'directive_received',
            { directiveId: body.id, revision: body.revision, issuer: body.issuer, mode: body.mode, text: body.text, deadline: body.deadline, priority: body.priority, issuedAt: body.issuedAt },
            actor,
            at,
          ),
        );
        return { outcome, directiveId: body.id, incidentId, changes };
      });
    } catch (error) {
      if (error instanceof ContractError) return { outcome: 'refused', reason: 'malformed', detail: error.message.slice(0, 500) };
      throw error;
    }
  }

  /** A directive's deadline and priority bind the open incident; a closed one keeps its record. */
  private applyTerms(incidentId: string, body: DirectiveBody, actor: string, at: number): Change[] {
    const { incident } = this.ctx.incidents.get(incidentId);
    if (incident.status === 'closed') return [];
    const patch: { deadline?: number; priority?: 1 | 2 | 3 | 4 } = {};
    if (incident.deadline !== body.deadline && body.deadline > incident.occurredAt) patch.deadline = body.deadline;
    if (incident.priority !== body.priority) patch.priority = body.priority;
    if (!Object.keys(patch).length) return [];
    return [this.ctx.incidents.update(incidentId, incident.version, patch, actor, at)];
  }

  /**
   * 签收: the person on duty signs for the directive; the signature (name and staff number) goes up
   * on the incident's timeline, so the city knows who in the duty room took it.
   */
  sign(id: string, signer: { name: string; staffNo: string | null }, at = this.ctx.now()): Change {
    return this.ctx.incidents.write(() => {
      const row = this.byId.get(id);
      if (!row) throw ContractError.notFound(`no directive ${id}`, { reason: 'uplink.unknown_directive' });
      if (this.signStmt.run(signer.name, signer.staffNo, at, id).changes === 0) {
        throw ContractError.conflict(`directive ${id} was already signed for by ${row.signed_by}`, undefined, {
          reason: 'uplink.directive_already_signed',
          params: { signer: row.signed_by ?? '' },
        });
      }
      const payload = { directiveId: id, revision: row.revision, signer: signer.name, signerStaffNo: signer.staffNo };
      return this.ctx.incidents.touch(row.incident_id, 'directive_signed', payload, signer.name, at);
    });
  }

  list(limit = 200): DirectiveInfo[] {
    return this.listStmt.all(limit).map((r) => ({
      id: r.id,
      revision: r.revision,
      incidentId: r.incident_id,
      incidentCode: r.code,
      incidentTitle: r.title,
      incidentStatus: r.status as DirectiveInfo['incidentStatus'],
      issuer: r.issuer,
      mode: r.mode,
      text: r.text,
      deadline: r.deadline,
      priority: r.priority,
      issuedAt: r.issued_at,
      receivedAt: r.received_at,
      signedBy: r.signed_by,
      signedByStaffNo: r.signed_by_staff_no,
      signedAt: r.signed_at,
    }));
  }

  unsigned(): number {
    return this.unsignedStmt.get()!.n;
  }
}
