/**
 * Kysely driver for PGlite (decision 0002). PGlite is one in-process connection, so the driver hands it out
 * to one user at a time: a transaction holds it from BEGIN to COMMIT and every other query waits its turn.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const res = await this.pg.query<R>(query.sql, query.parameters as unknown[], { rowMode: 'object' });
    const affected = res.affectedRows;
    return {
      rows: res.rows,
      numAffectedRows: affected === undefined ? undefined : BigInt(affected),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported on PGlite');
  }
}

class PGliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve();
  private readonly connection: PGliteConnection;
  private held: (() => void) | null = null;

  constructor(private readonly pg: PGlite) {
    this.connection = new PGliteConnection(pg);
  }

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.queue;
    this.queue = previous.then(() => next);
    await previous;
    this.held = release;
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings) {
    const iso = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${iso}`));
  }

  async commitTransaction(conn: DatabaseConnection) {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection) {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection() {
    const release = this.held;
    this.held = null;
    release?.();
  }

  async destroy() {
    await this.queue;
    if (!this.pg.closed) await this.pg.close();
  }

  /** Runs `run` on the embedded database between two users of the connection (never inside a transaction). */
  async exclusive<T>(run: () => Promise<T>): Promise<T> {
    await this.acquireConnection();
    try {
      return await run();
    } finally {
      await this.releaseConnection();
    }
  }

  /**
   * The health check's round trip: waits its turn like any query (never inside someone's transaction), then
   * uses the simple query protocol, half the cost of a prepared statement for a query without parameters.
   */
  async ping() {
    await this.acquireConnection();
    try {
      await this.pg.exec('select 1');
    } finally {
      await this.releaseConnection();
    }
  }
}

export class PGliteDialect implements Dialect {
  private readonly driver: PGliteDriver;
  constructor(pg: PGlite) {
    this.driver = new PGliteDriver(pg);
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return this.driver;
  }
  /** Runs `run` with the embedded database to itself, between two transactions (LISTEN, UNLISTEN). */
  exclusive<T>(run: () => Promise<T>) {
    return this.driver.exclusive(run);
  }
  /** A database round trip that respects the connection's queue (see PGliteDriver.ping). */
  ping() {
    return this.driver.ping();
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}
