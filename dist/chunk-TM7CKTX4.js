import { createRequire as __bxgCreateRequire } from 'node:module';
import { fileURLToPath as __bxgFileURLToPath } from 'node:url';
const require = __bxgCreateRequire(import.meta.url);
const __bxgFilename = __bxgFileURLToPath(import.meta.url);
const __bxgDirname = __bxgFileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
import{b as f}from"./chunk-H4C4JXQA.js";import{d as s}from"./chunk-5MWTWW5I.js";import{a as n,d as p}from"./chunk-4PMYIXEQ.js";var i=p(f());import{randomBytes as d}from"node:crypto";import{writeFileSync as c}from"node:fs";import{tmpdir as g}from"node:os";import{join as a}from"node:path";var l=1024*1024-4096;function $(t,o,u,m=process.env){let r=Buffer.byteLength(o);if(r<=l){i.setOutput(t,o);return}let e=a(m.RUNNER_TEMP||g(),`buildx-guard-${t}-${d(6).toString("hex")}.json`);c(e,o,{flag:"wx",mode:384}),i.setOutput(t,s({truncated:!0,bytes:r,file:e})),u.warning(`The ${t} output would be ${r} bytes, over the runner's 1 MiB limit: it is in ${e}, and the output names that file.`)}n($,"setBoundedOutput");export{$ as a};
