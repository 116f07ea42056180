import { fileURLToPath } from 'node:url';

/** The project's root folder (where package.json and asyncapi.yaml are): the one place scripts compute it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/[\\/]$/, '');
