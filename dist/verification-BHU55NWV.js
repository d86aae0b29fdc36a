import { createRequire as __bxgCreateRequire } from 'node:module';
import { fileURLToPath as __bxgFileURLToPath } from 'node:url';
const require = __bxgCreateRequire(import.meta.url);
const __bxgFilename = __bxgFileURLToPath(import.meta.url);
const __bxgDirname = __bxgFileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
import{g as b,h as c,i as d}from"./chunk-TPB7I3DK.js";import{E as a}from"./chunk-XEYAMJFQ.js";import"./chunk-5Q5H4CTC.js";import"./chunk-N35YCLEE.js";import"./chunk-KAMSV6LQ.js";import"./chunk-5MWTWW5I.js";import"./chunk-4PMYIXEQ.js";export{b as MAX_IN_FLIGHT,a as formatImageReport,c as verifyImages,d as verifyReferences};
