/**
 * Ceiling A: the least an HTTP write can cost here. Parses a JSON body, runs one PostgreSQL transaction of two
 * 1 KB inserts (pool of 10, as the service) and answers 201 JSON. Run in its own process by bench/ceilings.ts.
 * Settings: PORT, DATABASE_URL (a database holding bench_scratch).
 */
import Fastify from 'fastify';
import pg from 'pg';
import { KB } from './scratch.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
pool.on('error', () => {});
const app = Fastify({ logger: false });

app.get('/health', async () => ({ status: 'ok' }));

app.post<{ Body: { reference_id?: string } }>('/write', async (request, reply) => {
  const key = String(request.body?.reference_id ?? '');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const a = await client.query<{ id: string }>(
      'INSERT INTO bench_scratch (k, payload) VALUES ($1, $2) RETURNING id',
      [key, KB],
    );
    await client.query('INSERT INTO bench_scratch (k, payload) VALUES ($1, $2)', [key, KB]);
    await client.query('COMMIT');
    return reply.code(201).send({ id: a.rows[0]?.id });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
});

const close = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', close);
process.on('SIGINT', close);

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
