/**
 * scripts/lib/generate/sdk.ts reads the document once with the shared model and passes what the SDK needs as the
 * `model` parameter (JSON): the package version, the runtime dependencies, the exchange and the events.
 *
 * @typedef {object} SdkEvent
 * @property {string} eventName     Event name, also the routing key.
 * @property {string} modelName     Name of the envelope's model (Modelina).
 * @property {string} summary       Message summary.
 * @property {string[]} consumers   `x-consumers` of the message.
 * @property {string[]} dataFields  Fields of the envelope's `data`, in document order.
 *
 * @typedef {object} SdkModel
 * @property {string} version                        `info.version` of the document.
 * @property {Record<string, string>} dependencies   Runtime dependencies and their ranges.
 * @property {{ name: string, type: string }} exchange
 * @property {SdkEvent[]} events
 */

/**
 * @param {{ model?: string }} params
 * @returns {SdkModel}
 */
export function sdkModel(params) {
  if (!params?.model) throw new Error('The sdk template is run by scripts/generate.ts, which passes `model`.');
  return JSON.parse(params.model);
}

/**
 * A single-quoted TypeScript string literal.
 *
 * @param {string} value
 */
export function tsString(value) {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
