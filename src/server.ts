import { startTelemetry } from './telemetry/telemetry.js';

// The entry point. OpenTelemetry (when OTEL_* asks for it) starts first, so that its instrumentations see fastify
// and pg load; the service itself is imported after.
const telemetry = await startTelemetry();
const { main } = await import('./main.js');
await main(telemetry);
