import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DataStore } from './data-plane.js';
import type { CollectionRecord } from './schema-store.js';
import type { IndexEntry, ShreddedDocument } from './shredder.js';
import { blobToVector, vectorToBlob, type Metric } from './vectors.js';
import type { JsonObject } from './typed-values.js';

/** A stored document as read back: its row number, its body, its vector, and its score when searched by vector. */
export interface StoredDocument {
  seq: number;
  document: JsonObject;
  vector: Float32Array | null;
  similarity?: number;
}

export interface Query {
  where: RawBuilder<unknown>;
  /** A field sort: joins that bring the sort values, and the ORDER BY terms over them; the insertion order when absent. */
  sorted?: { joins: RawBuilder<unknown>; orderBy: RawBuilder<unknown> };
  /** Rows after this insertion number (unsorted paging). */
  afterSeq?: number;
  limit: number;
  offset?: number;
  /** Nearest neighbours of this vector by the metric, best first. */
  nearest?: { vector: Float32Array; metric: Metric };
  /** Lock the rows read until the transaction ends (PostgreSQL). */
  forUpdate?: boolean;
}

interface Row {
  seq: number | string;
  body: string;
  vector: Uint8Array | number[] | null;
  similarity?: number | null;
}

const ENTRY_ROWS_PER_STATEMENT = 400;

/** The documents of one collection and their index entries, read and written in SQL. */
export class DocumentStore {
  constructor(
    private readonly store: DataStore,
    private readonly collection: CollectionRecord,
    private readonly db: Kysely<any> = store.db,
  ) {}

  inTransaction<T>(work: (documents: DocumentStore) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new DocumentStore(this.store, this.collection, trx)));
  }

  /** Inserts a document; false when the collection already has one with its _id. */
  async insert(document: ShreddedDocument): Promise<boolean> {
    const [inserted] = await this.insertBatch([document], false);
    return inserted!;
  }

  /**
   * Inserts documents in order, writing their index entries together at the end; per document, whether
   * it was inserted (false: its _id was taken). With `stopAtConflict`, stops after the first taken _id.
   */
  async insertBatch(documents: ShreddedDocument[], stopAtConflict: boolean): Promise<boolean[]> {
    const inserted: boolean[] = [];
    const entries: [number, IndexEntry][] = [];
    for (const document of documents) {
      const result = await sql<{
        seq: number | string;
      }>`INSERT INTO ${this.store.table('documents')} (collection_id, doc_id, body, vector)
        VALUES (${this.collection.id}, ${document.idKey}, ${document.text}, ${this.#vectorParam(document.vector)})
        ON CONFLICT (collection_id, doc_id) DO NOTHING RETURNING seq`.execute(this.db);
      const row = result.rows[0];
      inserted.push(row !== undefined);
      if (row) for (const entry of document.entries) entries.push([Number(row.seq), entry]);
      else if (stopAtConflict) break;
    }
    await this.#insertEntries(entries);
    return inserted;
  }

  /** Replaces the stored document at `seq`, keeping its place in the insertion order. */
  async replace(seq: number, document: ShreddedDocument): Promise<void> {
    await sql`UPDATE ${this.store.table('documents')} SET doc_id = ${document.idKey}, body = ${document.text}, vector = ${this.#vectorParam(document.vector)}
      WHERE seq = ${seq}`.execute(this.db);
    await sql`DELETE FROM ${this.store.table('entries')} WHERE seq = ${seq}`.execute(this.db);
    await this.#insertEntries(document.entries.map((entry) => [seq, entry]));
  }

  async delete(seqs: number[]): Promise<void> {
    if (seqs.length === 0) return;
    await sql`DELETE FROM ${this.store.table('entries')} WHERE seq IN (${sql.join(seqs)})`.execute(this.db);
    await sql`DELETE FROM ${this.store.table('documents')} WHERE seq IN (${sql.join(seqs)})`.execute(this.db);
  }

  async find(query: Query): Promise<StoredDocument[]> {
    const documents = this.store.table('documents');
    const lock = query.forUpdate && this.store.dialect === 'postgres' ? sql`FOR UPDATE OF d` : sql``;
    let statement;
    if (query.nearest) {
      // Scores are ranked over row numbers alone, and only the best rows are read whole.
      const similarity = this.store.similarity(query.nearest.metric, sql.ref('d.vector'), query.nearest.vector);
      statement = sql<Row>`SELECT d.seq, d.body, d.vector, best.similarity FROM (
          SELECT d.seq AS seq, ${similarity} AS similarity FROM ${documents} d
          WHERE d.collection_id = ${this.collection.id} AND d.vector IS NOT NULL AND ${query.where}
          ORDER BY similarity DESC, d.seq LIMIT ${query.limit}
        ) best JOIN ${documents} d ON d.seq = best.seq
        ORDER BY best.similarity DESC, d.seq ${lock}`;
    } else {
      statement = sql<Row>`SELECT d.seq, d.body, d.vector FROM ${documents} d
        ${query.sorted?.joins ?? sql``}
        WHERE d.collection_id = ${this.collection.id}
        ${query.afterSeq !== undefined ? sql`AND d.seq > ${query.afterSeq}` : sql``}
        AND ${query.where}
        ORDER BY ${query.sorted?.orderBy ?? sql`d.seq`} LIMIT ${query.limit} OFFSET ${query.offset ?? 0} ${lock}`;
    }
    const result = await statement.execute(this.db);
    return result.rows.map((row) => ({
      seq: Number(row.seq),
      document: JSON.parse(row.body) as JsonObject,
      vector: toVector(row.vector),
      ...(row.similarity !== null && row.similarity !== undefined ? { similarity: Number(row.similarity) } : {}),
    }));
  }

  /** How many documents match, counting at most `upTo`. */
  async count(where: RawBuilder<unknown>, upTo: number): Promise<number> {
    const result = await sql<{
      n: number | string;
    }>`SELECT count(*) AS n FROM (SELECT 1 AS one FROM ${this.store.table('documents')} d
      WHERE d.collection_id = ${this.collection.id} AND ${where} LIMIT ${upTo}) matched`.execute(this.db);
    return Number(result.rows[0]?.n ?? 0);
  }

  async estimatedCount(): Promise<number> {
    const result = await sql<{
      n: number | string;
    }>`SELECT count(*) AS n FROM ${this.store.table('documents')} WHERE collection_id = ${this.collection.id}`.execute(
      this.db,
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  #vectorParam(vector: Float32Array | null): unknown {
    if (!vector) return null;
    return this.store.dialect === 'postgres' ? Array.from(vector) : vectorToBlob(vector);
  }

  async #insertEntries(entries: [number, IndexEntry][]): Promise<void> {
    for (let start = 0; start < entries.length; start += ENTRY_ROWS_PER_STATEMENT) {
      const rows = entries
        .slice(start, start + ENTRY_ROWS_PER_STATEMENT)
        .map(
          ([seq, e]) =>
            sql`(${this.collection.id}, ${e.path}, ${e.kind}, ${e.num}, ${e.txt}, ${seq}, ${e.direct ? 1 : 0})`,
        );
      await sql`INSERT INTO ${this.store.table('entries')} (collection_id, path, kind, num, txt, seq, direct) VALUES ${sql.join(rows)}`.execute(
        this.db,
      );
    }
  }
}

function toVector(value: Uint8Array | number[] | null): Float32Array | null {
  if (value === null) return null;
  return Array.isArray(value) ? Float32Array.from(value) : blobToVector(value);
}
