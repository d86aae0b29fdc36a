import { createRequire as __bxgCreateRequire } from 'node:module';
import { fileURLToPath as __bxgFileURLToPath } from 'node:url';
const require = __bxgCreateRequire(import.meta.url);
const __bxgFilename = __bxgFileURLToPath(import.meta.url);
const __bxgDirname = __bxgFileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
import{a as o}from"./chunk-4PMYIXEQ.js";import{setFlagsFromString as i}from"node:v8";function t(){i("--liftoff-only")}o(t,"baselineWasmOnly");export{t as a};
