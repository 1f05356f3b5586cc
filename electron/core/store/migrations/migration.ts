import type Database from 'better-sqlite3';

/** One numbered step of the schema. Each migration file imports this type from here, not from index.ts (that would be an import cycle). */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
