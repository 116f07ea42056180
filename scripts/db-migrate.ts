/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded PGlite) and exits. */
import { openDatabase } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrate } from '../src/db/migrate.js';

const config = loadConfig();
const db = await openDatabase(config);
try {
  const applied = await migrate(db);
  console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.close();
}
