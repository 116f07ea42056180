import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventExamples, eventSchemas } from '../../generated/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ backend: 'pglite', relay: false });
});

afterAll(async () => {
  await t.close();
});

describe('GET /schemas/<event name>.json', () => {
  it('when a consumer fetches the schema of credit.used, then it is the open consumer schema and it accepts an added field', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/schemas/credit.used.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/schema+json');
    const schema = response.json() as Record<string, unknown>;
    expect(schema).toEqual(eventSchemas['credit.used']);
    const ajv = new Ajv({ strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const [example] = eventExamples['credit.used'];
    const extended = { ...(example as Record<string, unknown>), added_later: true };
    expect(validate(extended)).toBe(true);
  });

  it('when the event does not exist, then it is a 404 problem naming the file', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/schemas/credit.closed.json' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 404, detail: expect.stringContaining('credit.closed.json') });
  });
});
