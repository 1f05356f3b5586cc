/**
 * The reference city in its own process, for `npm run bench -- uplink`: the town's serving loop (the
 * bench process) must not share its event loop with the city's, as it never would. Started with
 * fork(); options as JSON in argv; answers the bench's questions over IPC.
 */
import { ReferenceCity, type CityOptions } from '../tools/city/city';

export type CityQuestion = { id: number; ask: 'towns'; towns: string[] } | { id: number; ask: 'stop' };

export interface CityTownAnswer {
  town: string;
  events: number;
  distinctIds: number;
  headSeq: number;
  /** Events received again (resends after a lost ack or a restart), recognised and not stored. */
  duplicatesRecognised: number;
  verified: boolean;
  problem: string | null;
}

const options = JSON.parse(process.argv[2]!) as CityOptions;
const city = new ReferenceCity(options);
await city.start();
process.send!({ ready: true });

const distinct = city.db.prepare<[string], { n: number; ids: number }>('SELECT count(*) AS n, count(DISTINCT id) AS ids FROM events WHERE town = ?');

process.on('message', (raw) => {
  const question = raw as CityQuestion;
  if (question.ask === 'stop') {
    void city.stop().then(() => {
      process.send!({ id: question.id, stopped: true }, () => process.exit(0));
    });
    return;
  }
  const answers: CityTownAnswer[] = question.towns.map((town) => {
    const figures = city.town(town);
    const rows = distinct.get(town)!;
    const verified = figures ? city.verify(town) : { ok: false, problem: 'no such town' };
    return {
      town,
      events: rows.n,
      distinctIds: rows.ids,
      headSeq: figures?.headSeq ?? 0,
      duplicatesRecognised: figures?.duplicates ?? 0,
      verified: verified.ok,
      problem: verified.problem,
    };
  });
  process.send!({ id: question.id, answers });
});
